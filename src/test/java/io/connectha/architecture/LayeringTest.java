package io.connectha.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of docs/architecture.md: each package imports only packages of its own layer or below, and
 * no two packages import each other, directly or through others.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LayeringTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.connectha");
    }

    @Test
    void packages_import_only_downward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("commands").definedBy("io.connectha.cli..")
                .layer("startup").definedBy("io.connectha.startup..")
                .layer("render").definedBy("io.connectha.render..")
                .layer("services").definedBy("io.connectha.status..", "io.connectha.check..", "io.connectha.drill..",
                        "io.connectha.dashboard..", "io.connectha.lab..", "io.connectha.replication..", "io.connectha.config..",
                        "io.connectha.discover..", "io.connectha.monitor..")
                .layer("components").definedBy("io.connectha.pg..", "io.connectha.patroni..", "io.connectha.etcd..",
                        "io.connectha.haproxy..", "io.connectha.pgbouncer..")
                .layer("foundation").definedBy("io.connectha", "io.connectha.cluster..", "io.connectha.net..",
                        "io.connectha.process..", "io.connectha.units..", "io.connectha.error..")
                .whereLayer("commands").mayNotBeAccessedByAnyLayer()
                .whereLayer("startup").mayOnlyBeAccessedByLayers("commands")
                .whereLayer("render").mayOnlyBeAccessedByLayers("commands", "startup")
                .whereLayer("services").mayOnlyBeAccessedByLayers("commands", "startup", "render")
                .whereLayer("components").mayOnlyBeAccessedByLayers("commands", "startup", "render", "services")
                .whereLayer("foundation").mayOnlyBeAccessedByLayers("commands", "startup", "render", "services", "components")
                .check(main);
    }

    @Test
    void no_package_cycles() {
        slices().matching("io.connectha.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void every_main_package_is_in_a_layer() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .should().resideInAnyPackage("io.connectha", "io.connectha.cli..", "io.connectha.startup..", "io.connectha.render..",
                        "io.connectha.status..", "io.connectha.check..", "io.connectha.drill..", "io.connectha.dashboard..",
                        "io.connectha.lab..", "io.connectha.replication..", "io.connectha.config..", "io.connectha.discover..", "io.connectha.monitor..", "io.connectha.pg..",
                        "io.connectha.patroni..", "io.connectha.etcd..", "io.connectha.haproxy..", "io.connectha.pgbouncer..",
                        "io.connectha.cluster..", "io.connectha.net..", "io.connectha.process..", "io.connectha.units..",
                        "io.connectha.error..")
                .check(main);
    }
}
