package io.connectha.build;

import io.connectha.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by the build (exec-maven-plugin, package phase): bash completion and AsciiDoc man pages from
 * the whole command tree, which is registered in code ({@code CommandTree}) and so invisible to
 * picocli's own generators that read annotations.
 */
public final class GenerateDocs {

    private GenerateDocs() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        CommandLine tree = Main.newCommandLine();
        Files.writeString(target.resolve("connect_completion"), AutoComplete.bash("connect", tree));
        File adoc = target.resolve("man-adoc").toFile();
        adoc.mkdirs();
        int code = ManPageGenerator.generateManPage(adoc, null, new boolean[0], true, tree.getCommandSpec());
        if (code != 0) {
            throw new IllegalStateException("man page generation failed: " + code);
        }
    }
}
