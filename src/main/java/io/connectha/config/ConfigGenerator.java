package io.connectha.config;

import java.util.List;

/** Produces one component's files from the cluster file. Output must be deterministic: same input, same bytes. */
public interface ConfigGenerator {

    Component component();

    List<GeneratedFile> generate(GenerationContext context);
}
