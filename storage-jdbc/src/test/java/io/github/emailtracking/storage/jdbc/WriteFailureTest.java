package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteFailureTest {

    @Test
    void rolledBackWrite_saysNothingWasStored_unlessToldWhatElseItMeans() {
        WriteFailure write = WriteFailure.of("store the email");
        WriteFailure fold =
                WriteFailure.of("fold the open journal before the read")
                        .ifRolledBack("the opens it holds stay there");

        String writeMessage = write.toException(FailureKind.UNREACHABLE, null).getMessage();
        String foldMessage = fold.toException(FailureKind.UNREACHABLE, null).getMessage();

        assertThat(writeMessage)
                .isEqualTo(
                        "could not store the email: "
                                + FailureKind.UNREACHABLE.reason()
                                + "; nothing was stored");
        assertThat(foldMessage)
                .isEqualTo(
                        "could not fold the open journal before the read: "
                                + FailureKind.UNREACHABLE.reason()
                                + "; the opens it holds stay there");
    }
}
