package io.github.emailtracking.storage.jdbc;

import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.attachment;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.campaign;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.count;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.email;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobsTest {

    private static final int SIZE = 600_000;

    @TempDir Path folder;

    @Test
    void inDirectory_pathOfAFile_failsSayingItIsNoDirectory() throws IOException {
        Path file = Files.writeString(folder.resolve("hostname"), "a file");

        assertThatThrownBy(() -> AttachmentBlobs.inDirectory(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("the attachment directory " + file + " is a file, not a directory");
    }

    @Test
    void build_withoutTheDirectoryTheBytesAreIn_warnsNamingTheNewestAttachment() throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(3)));
            store.saveAttachment(attachment("a2", id("t1")), new ByteArrayInputStream(bytes(4)));
        }
        Path elsewhere = folder.resolve("elsewhere");

        String withoutDirectory = warningsOf(() -> open(false).close());
        String otherDirectory =
                warningsOf(
                        () ->
                                JdbcTrackingStore.builder()
                                        .jdbcUrl(url())
                                        .attachmentBlobs(AttachmentBlobs.inDirectory(elsewhere))
                                        .build()
                                        .close());
        String sameDirectory = warningsOf(() -> open(true).close());

        assertThat(withoutDirectory)
                .contains("Attachments of this database, the newest a2, keep their bytes outside");
        assertThat(otherDirectory)
                .contains("There is no file for attachment a2")
                .contains(elsewhere.toString());
        assertThat(sameDirectory).doesNotContain("a2");
    }

    /** Returns what the store's log wrote while {@code start} ran. */
    private static String warningsOf(Runnable start) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            start.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void saveAttachment_withDirectoryBlobs_keepsTheBytesInAFileAndNoneInTheDatabase()
            throws Exception {
        byte[] content = bytes(1);

        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(content));
        }

        try (JdbcTrackingStore store = open(true)) {
            assertThat(copy(store, "a1")).isEqualTo(content);
        }
        assertThat(Files.readAllBytes(blobs().resolve("a1"))).isEqualTo(content);
        assertThat(count(url(), "SELECT COUNT(*) FROM et_attachment_chunk")).isZero();
        assertThat(count(url(), "SELECT file_size FROM et_attachment")).isEqualTo(SIZE);
    }

    @Test
    void build_deletesTheFilesOfUploadsCutOffADayAgo_andKeepsTheOthers() throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(3)));
        }
        Path old = Files.write(blobs().resolve("a2.part-1"), bytes(4));
        Path recent = Files.write(blobs().resolve("a3.part-2"), bytes(5));
        Files.setLastModifiedTime(
                old,
                FileTime.from(Instant.now().minus(JdbcTrackingStore.ORPHAN_AGE).minusSeconds(60)));

        try (JdbcTrackingStore store = open(true)) {
            assertThat(copy(store, "a1")).isEqualTo(bytes(3));
        }

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(blobs().resolve("a1")).exists();
    }

    @Test
    void build_withAClockAhead_keepsTheFileOfAnUploadStillUnderWay() throws Exception {
        open(true).close();
        Path fresh = Files.write(blobs().resolve("a4.part-3"), bytes(6));

        JdbcTrackingStore.builder()
                .jdbcUrl(url())
                .attachmentBlobs(AttachmentBlobs.inDirectory(blobs()))
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(2)))
                .build()
                .close();

        assertThat(fresh).exists();
    }

    @Test
    void saveAttachment_inADirectoryItCreated_isForThisUserOnly() throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(11)));
        }

        assertThat(Files.getPosixFilePermissions(blobs()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(blobs().resolve("a1")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void saveAttachment_sameNameAndBytesAgain_keepsOneFile() throws Exception {
        byte[] content = bytes(2);

        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(content));
            AttachmentInfo again =
                    store.saveAttachment(
                            attachment("a2", id("t1")), new ByteArrayInputStream(content));

            assertThat(again.id().value()).isEqualTo("a1");
        }
        assertThat(files()).containsExactly("a1");
    }

    @Test
    void saveAttachment_sameNameAndBytesAgain_afterTheFileWasLostOrCut_putsItBack()
            throws Exception {
        byte[] content = bytes(10);

        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(content));
            Files.delete(blobs().resolve("a1"));
            store.saveAttachment(attachment("a2", id("t1")), new ByteArrayInputStream(content));
            assertThat(copy(store, "a1")).isEqualTo(content);

            Files.write(blobs().resolve("a1"), Arrays.copyOf(content, 10));
            store.saveAttachment(attachment("a3", id("t1")), new ByteArrayInputStream(content));
            assertThat(copy(store, "a1")).isEqualTo(content);

            Files.write(blobs().resolve("a1"), new byte[SIZE]);
            store.saveAttachment(attachment("a4", id("t1")), new ByteArrayInputStream(content));
            assertThat(copy(store, "a1")).isEqualTo(content);
        }
        assertThat(files()).containsExactly("a1");
    }

    @Test
    void saveAttachment_sameNameAndBytesAgain_withAFolderWhereTheFileWas_replacesOnlyAnEmptyOne()
            throws Exception {
        byte[] content = bytes(14);

        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(content));
            Path file = blobs().resolve("a1");
            Files.delete(file);
            Files.createDirectories(file.resolve("inside"));

            assertThatThrownBy(
                            () ->
                                    store.saveAttachment(
                                            attachment("a2", id("t1")),
                                            new ByteArrayInputStream(content)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith(
                            "could not store the attachment: the file stored for it before is"
                                    + " missing or damaged");

            Files.delete(file.resolve("inside"));
            store.saveAttachment(attachment("a3", id("t1")), new ByteArrayInputStream(content));
            assertThat(copy(store, "a1")).isEqualTo(content);
        }
        assertThat(files()).containsExactly("a1");
    }

    @Test
    void saveAttachment_contentFailingHalfway_leavesNoFileAndNoAttachment() throws Exception {
        InputStream failing =
                new SequenceInputStream(
                        new ByteArrayInputStream(bytes(3)),
                        new InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new IOException("the client went away");
                            }
                        });

        try (JdbcTrackingStore store = open(true)) {
            assertThatThrownBy(() -> store.saveAttachment(attachment("a1", id("t1")), failing))
                    .isInstanceOf(IOException.class);

            assertThat(store.findAttachment(attachment("a1", id("t1")).id())).isEmpty();
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void saveAttachment_directoryThatCannotBeWritten_failsAsTheStore_notAsTheContent()
            throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            Files.delete(blobs());
            Files.writeString(blobs(), "a file where the directory was");

            assertThatThrownBy(
                            () ->
                                    store.saveAttachment(
                                            attachment("a1", id("t1")),
                                            new ByteArrayInputStream(bytes(6))))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "could not store the attachment: attachment files in "
                                    + blobs().toAbsolutePath()
                                    + " could not be written");
            assertThat(store.findAttachment(attachment("a1", id("t1")).id())).isEmpty();
        }
    }

    @Test
    void copyAttachment_fileThatCannotBeRead_failsAsTheStore_andAFailingReaderAsItself()
            throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(7)));
            AttachmentId id = attachment("a1", id("t1")).id();
            OutputStream gone =
                    new OutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            throw new IOException("the client went away");
                        }
                    };

            assertThatThrownBy(() -> store.copyAttachment(id, gone))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the client went away");

            Files.delete(blobs().resolve("a1"));
            Files.createDirectory(blobs().resolve("a1"));
            assertThatThrownBy(() -> store.copyAttachment(id, new ByteArrayOutputStream()))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "could not read the attachment's content: attachment files in "
                                    + blobs().toAbsolutePath()
                                    + " could not be read");
        }
    }

    @Test
    void copyAttachment_fileShorterOrLongerThanStored_failsAsTheStore_writingNoByteTooMany()
            throws Exception {
        byte[] content = bytes(8);
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(content));
            AttachmentId id = attachment("a1", id("t1")).id();
            Path file = blobs().resolve("a1");
            String what = "could not read the attachment's content: attachment files in " + blobs();

            Files.write(file, Arrays.copyOf(content, SIZE - 1));
            ByteArrayOutputStream shorter = new ByteArrayOutputStream();
            assertThatThrownBy(() -> store.copyAttachment(id, shorter))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(what + " holds fewer bytes for it than were stored");

            Files.write(file, Arrays.copyOf(content, SIZE + 1));
            ByteArrayOutputStream longer = new ByteArrayOutputStream();
            assertThatThrownBy(() -> store.copyAttachment(id, longer))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(what + " holds more bytes for it than were stored");
            assertThat(longer.size()).isLessThanOrEqualTo(SIZE);
        }
    }

    @Test
    void copyAttachment_fileOfTheSameSizeWithOtherBytes_failsBeforeItsLastByte() throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(13)));
            Files.write(blobs().resolve("a1"), new byte[SIZE]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            assertThatThrownBy(() -> store.copyAttachment(attachment("a1", id("t1")).id(), out))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "could not read the attachment's content: attachment files in "
                                    + blobs()
                                    + " holds other bytes for it than were stored");
            assertThat(out.size()).isEqualTo(SIZE - 1);
        }
    }

    @Test
    void copyAttachment_keptInADirectory_byAStoreGivenNone_failsAsTheStore() throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(9)));
        }

        try (JdbcTrackingStore store = open(false)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> store.copyAttachment(attachment("a1", id("t1")).id(), out))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "could not read the attachment's content: it is kept in an attachment"
                                    + " directory, and this store was given none");
            assertThat(out.size()).isZero();
        }
    }

    @Test
    void copyAttachment_namedPipeInPlaceOfTheFile_failsAsTheStore_insteadOfWaiting()
            throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(12)));
            Path file = blobs().resolve("a1");
            Files.delete(file);
            Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
            assertThat(mkfifo.waitFor()).isZero();

            assertThatThrownBy(
                            () ->
                                    store.copyAttachment(
                                            attachment("a1", id("t1")).id(),
                                            new ByteArrayOutputStream()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageEndingWith(" could not be read");
        }
    }

    @Test
    void eraseRecipient_deletesTheFilesOfTheRecipientsAttachments() throws Exception {
        try (JdbcTrackingStore store = open(true)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(bytes(4)));

            assertThat(store.eraseRecipient("t1@example.com")).isEqualTo(1);
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void copyAttachment_storedInTheDatabaseBeforeBlobsWereSet_isStillRead() throws Exception {
        byte[] content = bytes(5);
        try (JdbcTrackingStore store = open(false)) {
            store.saveAttachment(attachment("a1", id("t1")), new ByteArrayInputStream(content));
        }

        try (JdbcTrackingStore store = open(true)) {
            assertThat(copy(store, "a1")).isEqualTo(content);
        }
    }

    @Test
    void inDirectory_keyThatCouldNameAnotherPath_isRefused() {
        AttachmentBlobs blobs = AttachmentBlobs.inDirectory(blobs());

        for (String key : new String[] {"../escape", "a/b", ".", "", "a".repeat(65)}) {
            assertThatThrownBy(() -> blobs.write(key, new ByteArrayInputStream(new byte[1])))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private JdbcTrackingStore open(boolean inDirectory) {
        JdbcTrackingStore.Builder builder = JdbcTrackingStore.builder().jdbcUrl(url());
        if (inDirectory) {
            builder.attachmentBlobs(AttachmentBlobs.inDirectory(blobs()));
        }
        JdbcTrackingStore store = builder.build();
        if (store.findCampaign(campaign("c1").id()).isEmpty()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
        }
        return store;
    }

    private byte[] copy(JdbcTrackingStore store, String attachmentId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(store.copyAttachment(attachment(attachmentId, id("t1")).id(), out)).isTrue();
        return out.toByteArray();
    }

    private String url() {
        return "jdbc:sqlite:" + folder.resolve("tracking.db");
    }

    private Path blobs() {
        return folder.resolve("attachments");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(blobs())) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static byte[] bytes(long seed) {
        byte[] bytes = new byte[SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
