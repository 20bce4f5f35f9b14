package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    @Timeout(60)
    void open_leavesAFolderWhoseLockIsANamedPipe_withoutWaitingOnIt() throws Exception {
        Path planted = Files.createDirectory(parent.resolve(UploadFolder.PREFIX + "1-2"));
        Process mkfifo =
                new ProcessBuilder("mkfifo", planted.resolve(".lock").toString())
                        .inheritIO()
                        .start();
        assertThat(mkfifo.waitFor()).isZero();

        UploadFolder.open(parent);

        assertThat(planted.resolve(".lock")).exists();
    }

    @Test
    void open_leavesWhatALinkInAFoldersPlaceLeadsTo() throws IOException {
        Path elsewhere = Files.createDirectory(parent.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("keep.txt"), "not the tracker's");
        Files.createSymbolicLink(parent.resolve(UploadFolder.PREFIX + "1-2"), elsewhere);

        UploadFolder.open(parent);

        assertThat(elsewhere.resolve("keep.txt")).hasContent("not the tracker's");
    }

    @Test
    void open_leavesTheFoldersOfOtherUsers() throws IOException {
        UserPrincipal nobody =
                parent.getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName("nobody");
        Path others = Files.createDirectory(parent.resolve(UploadFolder.PREFIX + "1-2"));
        Files.writeString(others.resolve("upload.part"), "another user's");
        assumeTrue(canChangeOwners(), "giving a folder to another user needs root");
        Files.setOwner(others.resolve("upload.part"), nobody);
        Files.setOwner(others, nobody);

        UploadFolder.open(parent);

        assertThat(others.resolve("upload.part")).hasContent("another user's");
    }

    private static boolean canChangeOwners() {
        return "root".equals(System.getProperty("user.name"));
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
