package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartTagTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<br> | 0",
                "<img src=a.gif> | 1",
                "<a title=\"a > b\" x y> | 3",
                "<a href='x'y=1> | 2",
                "<a x = \"1\" y> | 2",
                "<a/b/c/> | 2",
                "<a =x> | 1",
                "<a x x x> | 3",
                "<a x=> | 1",
                "<a =x =x> | 1",
            })
    void attributeCount_countsEachAttributeAsWritten(String tag, int count) {
        String source = "text" + tag + "more";

        assertThat(StartTag.attributeCount(source, 4, 4 + tag.length())).isEqualTo(count);
    }

    @Test
    void attributeCount_takesEveryKindOfHtmlSpaceBetweenAttributes() {
        String tag = "<td\tclass=a\nstyle=b\fid=c\rdir=d x>";

        assertThat(StartTag.attributeCount(tag, 0, tag.length())).isEqualTo(5);
    }
}
