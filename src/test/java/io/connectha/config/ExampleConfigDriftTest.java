package io.connectha.config;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretResolver;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config/ holds what `config generate` makes of examples/cluster.yaml with the example secrets.
 * When this fails, regenerate it with scripts/regenerate-example-config and review the diff.
 */
class ExampleConfigDriftTest {

    private static final Path CONFIG = TestClusters.PROJECT.resolve("config");

    @Test
    void config_dir_matches_the_generator() throws IOException {
        Map<String, String> env = TestClusters.exampleSecrets();
        LoadedCluster cluster = new ClusterFileLoader(env).load(TestClusters.EXAMPLE);
        var service = new ConfigGenerationService(cluster, new SecretResolver(cluster, env), new ConfigFileWriter());
        List<GeneratedFile> generated = service.generate(new ConfigGenerationService.Request(List.of(), CONFIG, null, Map.of()));

        for (GeneratedFile file : generated) {
            Path onDisk = CONFIG.resolve(file.path());
            assertThat(onDisk).as("config/" + file.path() + " is missing; run scripts/regenerate-example-config").exists();
            assertThat(Files.readString(onDisk)).as("config/" + file.path() + " drifted; run scripts/regenerate-example-config")
                    .isEqualTo(file.content());
        }
        Set<String> expected = generated.stream().map(GeneratedFile::path).collect(Collectors.toSet());
        try (Stream<Path> walk = Files.walk(CONFIG)) {
            List<String> extra = walk.filter(Files::isRegularFile).map(p -> CONFIG.relativize(p).toString())
                    .filter(p -> !p.equals("README.md") && !expected.contains(p)).toList();
            assertThat(extra).as("files in config/ that the generator no longer makes").isEmpty();
        }
    }
}
