package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadFolderTest {

    @TempDir Path parent;

    @Test
    void open_makesAFolderOnlyItsOwnerCanEnter() throws IOException {
        Path folder = UploadFolder.open(parent).path();

        assertThat(folder.getParent()).isEqualTo(parent);
        assertThat(folder.getFileName().toString()).startsWith(UploadFolder.PREFIX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .isEqualTo("rwx------");
    }

    @Test
    void open_keepsTheFolderOfARunningProcess_andDeletesItOnceThatProcessIsKilled()
            throws Exception {
        Process other = startProcessHoldingAFolder();
        try {
            Path othersFolder = Path.of(firstLine(other));
            assertThat(othersFolder).isDirectory();

            UploadFolder.open(parent);
            assertThat(othersFolder.resolve("upload.part")).exists();

            other.destroyForcibly();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Path mine = UploadFolder.open(parent).path();

            assertThat(othersFolder).doesNotExist();
            assertThat(mine).isDirectory();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void open_keepsTheFoldersOfThisProcess() throws IOException {
        UploadFolder first = UploadFolder.open(parent);
        Files.writeString(first.path().resolve("upload.part"), "in progress");

        UploadFolder second = UploadFolder.open(parent);

        assertThat(first.path().resolve("upload.part")).exists();
        assertThat(second.path()).isNotEqualTo(first.path());
    }

    @Test
    void open_deletesAFolderWhoseProcessStoppedNormallyButLeftAFile() throws IOException {
        Path left = Files.createDirectory(parent.resolve(UploadFolder.PREFIX + "1-2"));
        Files.writeString(left.resolve("upload.part"), "interrupted");

        UploadFolder.open(parent);

        assertThat(left).doesNotExist();
    }

    @Test
    void open_leavesOtherFilesAlone() throws IOException {
        Path other = Files.writeString(parent.resolve(UploadFolder.PREFIX + "note"), "mine");

        UploadFolder.open(parent);

        assertThat(other).hasContent("mine");
    }

    private Process startProcessHoldingAFolder() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        FolderHoldingProcess.class.getName(),
                        parent.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String firstLine(Process process) throws IOException {
        BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return lines.readLine();
    }
}
