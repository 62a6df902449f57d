package io.connectha.build;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ArchivableClassesTest {

    @TempDir
    Path dir;

    private Path picocliJarCopy() throws Exception {
        Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = dir.resolve("picocli.jar");
        Files.copy(picocli, copy);
        return copy;
    }

    @Test
    void picocli_ships_java_5_class_files_which_the_class_data_caches_leave_out() throws Exception {
        assertThat(ArchivableClasses.oldClasses(picocliJarCopy())).contains("picocli/CommandLine.class");
    }

    @Test
    void every_old_class_is_rewritten_and_everything_else_is_copied_unchanged() throws Exception {
        Path jar = picocliJarCopy();
        List<String> before;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            before = zip.stream().map(ZipEntry::getName).toList();
        }
        int old = ArchivableClasses.oldClasses(jar).size();

        assertThat(ArchivableClasses.rewriteJar(jar)).isEqualTo(old);

        assertThat(ArchivableClasses.oldClasses(jar)).isEmpty();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName).toList()).isEqualTo(before);
            try (InputStream s = zip.getInputStream(zip.getEntry("picocli/CommandLine.class"))) {
                assertThat(ArchivableClasses.majorVersion(s.readNBytes(8))).isEqualTo(52);
            }
        }
        assertThat(Files.exists(jar.resolveSibling(jar.getFileName() + ".tmp"))).isFalse();
    }

    @Test
    void rewritten_classes_pass_the_verifier_and_picocli_still_works() throws Exception {
        Path jar = picocliJarCopy();
        ArchivableClasses.rewriteJar(jar);
        List<String> names;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            names = zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
        }
        // a class loader of its own: its classes are verified (with their new stack map frames) when linked
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                Class<?> c = Class.forName(name, true, loader);
                assertThat(c.getClassLoader()).isSameAs(loader);
            }
            Class<?> specClass = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
            Object spec = specClass.getMethod("create").invoke(null);
            specClass.getMethod("name", String.class).invoke(spec, "probe");
            Class<?> commandLine = Class.forName("picocli.CommandLine", true, loader);
            Object cli = commandLine.getConstructor(Object.class).newInstance(spec);
            assertThat((String) commandLine.getMethod("getUsageMessage").invoke(cli)).contains("Usage: probe");
        }
    }
}
