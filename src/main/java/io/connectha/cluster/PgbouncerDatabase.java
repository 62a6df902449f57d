package io.connectha.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One database PgBouncer serves: the name clients connect to ({@code name}, PgBouncer's pool) and the
 * PostgreSQL database it reaches ({@code dbname}). In the cluster file either a plain name, or
 * {@code {name: orders_rw, dbname: orders}} for an alias.
 */
public record PgbouncerDatabase(String name, String dbname) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static PgbouncerDatabase of(String name) {
        return new PgbouncerDatabase(name, name);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static PgbouncerDatabase of(@JsonProperty("name") String name, @JsonProperty("dbname") String dbname) {
        return new PgbouncerDatabase(name, dbname == null ? name : dbname);
    }

    public boolean isAlias() {
        return name != null && !name.equals(dbname);
    }

    /** As written back: a plain name unless it is an alias. */
    @JsonValue
    Object written() {
        if (!isAlias()) {
            return name;
        }
        Map<String, String> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("dbname", dbname);
        return map;
    }
}
