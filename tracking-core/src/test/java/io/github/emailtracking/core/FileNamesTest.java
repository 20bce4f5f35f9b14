package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "document.pdf | document.pdf",
                "../../etc/passwd | passwd",
                "C:\\Users\\me\\report.docx | report.docx",
                ".. | attachment",
                ".hidden | hidden",
                "'   ' | attachment",
                "Angebot für Müller.pdf | Angebot für Müller.pdf",
                "evil\u202Efdp.exe | evilfdp.exe",
                "\"a | a",
                "\"report.pdf\" | report.pdf",
                "\" | attachment",
                ". .x.pdf | x.pdf",
                "\" .x.pdf\" | x.pdf",
                "\u00A0x.pdf\u2007 | x.pdf",
                ". \u202F. | attachment"
            })
    void cleanName_keepsOnlyADisplayableLastSegment(String name, String expected) {
        assertThat(FileNames.cleanName(name)).isEqualTo(expected);
    }

    @Test
    void cleanName_lineBreaks_areRemoved() {
        assertThat(FileNames.cleanName("a\r\nSet-Cookie: x.txt")).isEqualTo("aSet-Cookie: x.txt");
    }

    @Test
    void cleanContentType_lineBreaks_giveTheDefault() {
        assertThat(FileNames.cleanContentType("text/html\r\nX: y"))
                .isEqualTo("application/octet-stream");
    }

    @Test
    void cleanName_null_isTheDefault() {
        assertThat(FileNames.cleanName(null)).isEqualTo("attachment");
    }

    @Test
    void cleanName_cutWhereASpaceOrQuoteEnds_hasItTakenOff() {
        assertThat(FileNames.cleanName("x".repeat(250) + " ".repeat(10) + "y"))
                .isEqualTo("x".repeat(250));
        assertThat(FileNames.cleanName("x".repeat(254) + "\"yyyy")).isEqualTo("x".repeat(254));
        assertThat(FileNames.cleanName("x".repeat(254) + "\u00A0yyyy")).isEqualTo("x".repeat(254));
    }

    @Test
    void cleanName_ofManyLayersOfSpacesAndDots_takesThemAllOff() {
        assertThat(FileNames.cleanName(". ".repeat(100_000) + "x.pdf" + " \"".repeat(100_000)))
                .isEqualTo("x.pdf");
    }

    @Test
    void cleanName_tooLong_isCut() {
        assertThat(FileNames.cleanName("x".repeat(400))).hasSize(255);
    }

    @Test
    void cleanName_tooLong_keepsAShortExtension_andNoHalfOfASurrogatePair() {
        String emoji = "\uD83D\uDE00";

        String withExtension = FileNames.cleanName("a".repeat(5000) + ".pdf");
        String withLongExtension = FileNames.cleanName("a".repeat(300) + "." + "b".repeat(20));
        String pairAtTheCut = FileNames.cleanName("a".repeat(250) + emoji.repeat(10) + ".pdf");

        assertThat(withExtension).hasSize(255).isEqualTo("a".repeat(251) + ".pdf");
        assertThat(withLongExtension).hasSize(255).isEqualTo("a".repeat(255));
        assertThat(pairAtTheCut).isEqualTo("a".repeat(250) + ".pdf");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "application/pdf | application/pdf",
                "Text/Plain; charset=UTF-8 | text/plain",
                "image/svg+xml | image/svg+xml",
                "nonsense | application/octet-stream"
            })
    void cleanContentType_keepsOnlyAPlainMediaType(String type, String expected) {
        assertThat(FileNames.cleanContentType(type)).isEqualTo(expected);
    }
}
