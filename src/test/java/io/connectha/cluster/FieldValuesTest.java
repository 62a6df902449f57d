package io.connectha.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FieldValuesTest {

    @Test
    void ipv4_addresses_need_four_parts_of_0_to_255_without_a_leading_zero() {
        assertThat(FieldValues.host("10.0.1.11")).isEmpty();
        assertThat(FieldValues.host("255.255.255.255")).isEmpty();
        assertThat(FieldValues.host("10.0.1.999")).contains(
                "'10.0.1.999' is not a valid IPv4 address (four numbers 0-255, such as 10.0.1.11)");
        assertThat(FieldValues.host("10.0.1")).isPresent();
        assertThat(FieldValues.host("10.0.1.2.3")).isPresent();
        // inet_aton reads 010 as octal 8
        assertThat(FieldValues.host("010.0.0.1")).isPresent();
        assertThat(FieldValues.host("10..0.1")).isPresent();
    }

    @Test
    void host_names_follow_rfc_1123() {
        assertThat(FieldValues.host("db-1.example.com")).isEmpty();
        assertThat(FieldValues.host("localhost")).isEmpty();
        assertThat(FieldValues.host("db1.example.com.")).isEmpty();
        assertThat(FieldValues.host("-rf")).contains("'-rf' is not a valid host name (letters, digits and inner hyphens, "
                + "parts separated by dots) or IPv4 address");
        assertThat(FieldValues.host("db-.example")).isPresent();
        assertThat(FieldValues.host("db_1")).isPresent();
        assertThat(FieldValues.host("a..b")).isPresent();
        assertThat(FieldValues.host("a b")).isPresent();
        assertThat(FieldValues.host("a".repeat(64))).isPresent();
        assertThat(FieldValues.host("a".repeat(63))).isEmpty();
        assertThat(FieldValues.host(("a".repeat(60) + ".").repeat(5))).contains(
                "'" + ("a".repeat(60) + ".").repeat(5) + "' is not a valid host name (at most 253 characters)");
    }

    @Test
    void wildcards_and_ipv6_literals_are_refused_with_what_to_give() {
        assertThat(FieldValues.host("0.0.0.0")).contains("give the address others connect to, not the wildcard '0.0.0.0'");
        assertThat(FieldValues.host("*")).contains("give the address others connect to, not the wildcard '*'");
        assertThat(FieldValues.host("fd00::1")).contains("IPv6 literal 'fd00::1' is not supported yet; use a host name that resolves to it");
        assertThat(FieldValues.host(" ")).contains("a host is required");
    }

    @Test
    void networks_are_ipv4_or_ipv6_with_a_prefix_that_fits() {
        assertThat(FieldValues.cidr("10.0.2.0/24")).isEmpty();
        assertThat(FieldValues.cidr("0.0.0.0/0")).isEmpty();
        assertThat(FieldValues.cidr("fd00::/64")).isEmpty();
        assertThat(FieldValues.cidr("::1/128")).isEmpty();
        assertThat(FieldValues.cidr("2001:db8:0:0:0:0:0:1/128")).isEmpty();
        assertThat(FieldValues.cidr("10.0.2.0/33")).contains(
                "'10.0.2.0/33' is not a network in CIDR form such as 10.0.0.0/24 (an IPv4 prefix is at most 32)");
        assertThat(FieldValues.cidr("fd00::/129")).contains(
                "'fd00::/129' is not a network in CIDR form such as 10.0.0.0/24 (an IPv6 prefix is at most 128)");
        assertThat(FieldValues.cidr("10.0.0.300/24")).isPresent();
        assertThat(FieldValues.cidr("10.0.0.0")).isPresent();
        assertThat(FieldValues.cidr("example.com/24")).isPresent();
        assertThat(FieldValues.cidr("fd00::1::2/64")).isPresent();
        assertThat(FieldValues.cidr("1:2:3:4:5:6:7:8:9/64")).isPresent();
        assertThat(FieldValues.cidr("10.0.0.0/24/8")).isPresent();
    }

    @Test
    void names_are_safe_as_patroni_keys_file_names_and_sql_identifiers() {
        assertThat(FieldValues.name("pg-1_a", "member name")).isEmpty();
        assertThat(FieldValues.name("a".repeat(63), "member name")).isEmpty();
        for (String bad : new String[]{"pg.1", "pg/1", "PG1", "-pg", "pg 1", "pg1;", "", "a".repeat(64), "pg\n1"}) {
            assertThat(FieldValues.name(bad, "member name")).as(bad).contains("'" + bad + "' is not a valid member name "
                    + "(lower-case letters, digits, - and _, starting with a letter or digit, at most 63)");
        }
    }

    @Test
    void an_environment_variable_name_that_is_not_one_is_refused_without_showing_it() {
        assertThat(FieldValues.environmentVariableName("CONNECT_APP_PASSWORD")).isEmpty();
        assertThat(FieldValues.environmentVariableName("_x1")).isEmpty();
        for (String bad : new String[]{"hunter2!", "1ABC", "MY-VAR", "a b", ""}) {
            var why = FieldValues.environmentVariableName(bad);
            assertThat(why).as(bad).contains("is not an environment variable name (it looks like a secret: it is not shown); "
                    + "give the name of the variable that holds the password, such as CONNECT_APP_PASSWORD");
        }
    }

    @Test
    void a_namespace_is_parts_separated_by_slashes() {
        assertThat(FieldValues.namespace("/service")).isEmpty();
        assertThat(FieldValues.namespace("/service/prod-1")).isEmpty();
        assertThat(FieldValues.namespace("/")).isPresent();
        assertThat(FieldValues.namespace("/service/..")).isPresent();
        assertThat(FieldValues.namespace("/ser vice")).contains("'/ser vice' is not a valid namespace (such as /service: "
                + "parts of letters, digits, _ - and . separated by /)");
        assertThat(FieldValues.namespace("/a//b")).isPresent();
    }

    @Test
    void a_user_name_for_basic_auth_has_no_colon_space_or_quote() {
        assertThat(FieldValues.userName("Patroni.admin-1")).isEmpty();
        for (String bad : new String[]{"a:b", "a b", "a\"b", "-a", ""}) {
            assertThat(FieldValues.userName(bad)).as(bad).contains("'" + bad + "' is not a valid user name "
                    + "(letters, digits, _ - and ., starting with a letter or digit, at most 63)");
        }
    }
}
