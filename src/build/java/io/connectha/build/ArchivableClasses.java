package io.connectha.build;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Run by the build (exec-maven-plugin, package phase, after the jar is shaded): rewrites the class
 * files in the jar that are older than Java 6 (version 50) as Java 8 class files, with the stack
 * map frames newer class files carry.
 *
 * <p>Why: the JVM's class-data caches (JDK 25's AOT cache, JDK 17's AppCDS archive made at exit)
 * leave out every pre-Java-6 class that a training run linked ("Skipping ...: Old class has been
 * linked"), since such classes cannot be verified when the cache is made. picocli is compiled for
 * Java 5, so all of its ~180 classes were parsed and verified from the jar on every run
 * (docs/bench.md: without this rewrite a lag check took 20 % more CPU, --help 50 % more). Only the class-file version and the frames change; the bytecode is
 * the library's own.
 */
public final class ArchivableClasses {

    /** Class files below this version are left out of the JVM's class-data caches once linked. */
    static final int FIRST_ARCHIVABLE = Opcodes.V1_6;

    private ArchivableClasses() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        int rewritten = rewriteJar(jar);
        System.err.println("[connect build] " + rewritten + " pre-Java-6 classes in " + jar.getFileName()
                + " rewritten as Java 8 class files, so the JVM's class-data caches can hold them");
    }

    /** Rewrites the old class files of {@code jar} in place (a temporary file, then rename); returns how many. */
    static int rewriteJar(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int rewritten = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
             URLClassLoader classes = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             OutputStream file = Files.newOutputStream(tmp);
             ZipOutputStream out = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                // multi-release entries (META-INF/versions/N/) are already newer than Java 6
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/") && isOld(bytes)) {
                    bytes = upgrade(bytes, classes);
                    rewritten++;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return rewritten;
    }

    /** The class file's major version: bytes 6 and 7, after the magic number and the minor version. */
    static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    static boolean isOld(byte[] classFile) {
        return classFile.length >= 8 && majorVersion(classFile) < FIRST_ARCHIVABLE;
    }

    /**
     * The same class as a Java 8 class file. Frames are computed by ASM, which needs the common
     * super class of two types: it loads them, without initialising, from {@code classes}. Code
     * with JSR/RET (which Java 8 class files may not contain) makes ASM fail, and so the build.
     */
    static byte[] upgrade(byte[] classFile, ClassLoader classes) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** For tests: the classes of {@code jar} that are still too old to be cached. */
    static List<String> oldClasses(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/"))
                    .filter(e -> {
                        try (InputStream s = zip.getInputStream(e)) {
                            return isOld(s.readNBytes(8));
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    })
                    .map(ZipEntry::getName).toList();
        }
    }
}
