package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderParametersTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "attachment; filename=\"a.pdf\"; filename*=UTF-8''%C3%A4.pdf | ä.pdf",
                "attachment; filename*=iso-8859-1'de'%E4.pdf | ä.pdf",
                "attachment; filename=\"a.pdf\"; filename*=UTF-8''%FF.pdf | a.pdf",
                "attachment; filename=\"a.pdf\"; filename*=UTF-8''%4.pdf | a.pdf",
                "attachment; filename=\"a.pdf\"; filename*=KOI8-R''%C1.pdf | a.pdf",
                "attachment; filename=\"a.pdf\"; filename*=UTF-8''a b.pdf | a.pdf",
                "attachment; filename=\"a;b.pdf\" | a;b.pdf"
            })
    void fileName_prefersADecodableEncodedName_elseThePlainOne(String disposition, String name) {
        assertThat(HeaderParameters.fileName(disposition)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"attachment", "form-data; name=\"file\""})
    void fileName_withoutOne_isNull(String disposition) {
        assertThat(HeaderParameters.fileName(disposition)).isNull();
    }
}
