package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void fileNameAsWritten_quotedName_isTheTextBetweenTheQuotes() {
        String value = "form-data; name=\"file\"; filename=\" =?UTF-8?B?w7w=?=.pdf \"";

        assertThat(ContentDisposition.fileNameAsWritten(value)).isEqualTo("=?UTF-8?B?w7w=?=.pdf");
    }

    @Test
    void fileNameAsWritten_semicolonInsideTheQuotes_staysInTheName() {
        String value = "form-data; filename=\"a;=?b?=\\\";c.pdf\"; name=\"file\"";

        assertThat(ContentDisposition.fileNameAsWritten(value)).isEqualTo("a;=?b?=\\\";c.pdf");
    }

    @Test
    void fileNameAsWritten_extendedName_isLeftToTheReader() {
        String value = "form-data; name=file; filename=\"=?a?=\"; filename*=UTF-8''%C3%BC.pdf";

        assertThat(ContentDisposition.fileNameAsWritten(value)).isNull();
    }

    @Test
    void fileNameAsWritten_noFileNameOrOtherDisposition_isNull() {
        assertThat(ContentDisposition.fileNameAsWritten("form-data; name=\"file\"")).isNull();
        assertThat(ContentDisposition.fileNameAsWritten("inline; filename=\"=?a?=\"")).isNull();
    }

    @Test
    void fileNameAsWritten_parameterWithoutValue_isAnEmptyName() {
        assertThat(ContentDisposition.fileNameAsWritten("form-data; FILENAME")).isEmpty();
    }
}
