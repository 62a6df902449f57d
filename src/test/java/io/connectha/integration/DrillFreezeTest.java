package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.connectha.integration.DrillTest.drill;

@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrillFreezeTest {

    @TempDir
    Path reports;

    @Test
    void probe(RunningLab lab) throws Exception {
        for (String f : System.getProperty("held.faults", "freeze-patroni").split(",")) {
            try {
                JsonNode r = drill(lab, reports, f);
                System.err.println("REPORT " + f + " " + r.toPrettyString());
            } finally {
                new ProcessBuilder("cp", "-r", lab.lab().layout().logs().toString(), "/tmp/held-logs-" + f).start().waitFor();
            }
        }
    }
}
