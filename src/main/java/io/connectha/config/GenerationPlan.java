package io.connectha.config;

import java.util.List;

/** Every file of a {@code config generate} run and what writing it does (or did). */
public record GenerationPlan(String outDir, boolean dryRun, List<FileChange> files) {

    public long changed() {
        return files.stream().filter(FileChange::changes).count();
    }
}
