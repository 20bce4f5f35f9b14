package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.InvalidRequestException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlInstrumenterTest {

    private static final String BASE = "https://track.example.com/api/track";
    private static final String OPEN_URL = BASE + "/open/t1";
    private static final String PIXEL =
            "<img src=\""
                    + OPEN_URL
                    + "\" width=\"1\" height=\"1\" alt=\"\""
                    + " style=\"display:block;border:0;width:1px;height:1px\">";

    private final HtmlInstrumenter instrumenter = new HtmlInstrumenter(BASE);
    private final List<String> clickUrlRequests = new ArrayList<>();
    private final Function<String, String> clickUrlFor =
            link -> {
                clickUrlRequests.add(link);
                return clickUrl(link);
            };

    @Test
    void instrument_fragment_staysAFragmentWithThePixelLast() {
        String html = "<p>Hi,\r\n  see <a href=\"https://example.com/a\">this</a>.</p>\n";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.html())
                .isEqualTo(
                        "<p>Hi,\r\n  see <a href=\""
                                + escaped(clickUrl("https://example.com/a"))
                                + "\">this</a>.</p>\n"
                                + PIXEL);
        assertThat(result.links()).containsExactly("https://example.com/a");
    }

    @Test
    void instrument_document_keepsItsDoctypeAndPutsThePixelLastInTheBody() {
        String html =
                "<!DOCTYPE html>\n<html><head><title>T</title></head>\n"
                        + "<body style=\"margin:0\"><p>x</p>\n</body>\n</html>\n";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .isEqualTo(
                        "<!DOCTYPE html>\n<html><head><title>T</title></head>\n"
                                + "<body style=\"margin:0\"><p>x</p>\n"
                                + PIXEL
                                + "</body>\n</html>\n");
    }

    @Test
    void instrument_bodyWithoutHtmlTag_staysADocument() {
        String html = "<body><p>x</p></body>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .isEqualTo("<html><head></head><body><p>x</p>" + PIXEL + "</body></html>");
    }

    @Test
    void instrument_fragmentStartingWithStyle_keepsTheStyleWhereItWas() {
        String html = "<style>p{color:red}</style><p>x</p>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).isEqualTo("<style>p{color:red}</style><p>x</p>" + PIXEL);
    }

    @Test
    void instrument_clickUrl_isWrittenWithAmpersandsEscaped() {
        String html = "<a href=\"https://example.com/?a=1&amp;b=2\">x</a>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .contains(
                        "href=\""
                                + BASE
                                + "/click/t1?redirect=https%3A%2F%2Fexample.com%2F%3Fa%3D1%26b%3D2"
                                + "&amp;sig=s\"");
    }

    @Test
    void instrument_openUrl_isEscapedAsAnAttributeValue() {
        String result =
                instrumenter
                        .instrument("<p>x</p>", clickUrlFor, "https://t.example/o?a=1&b=\"2\"")
                        .html();

        assertThat(result).contains("<img src=\"https://t.example/o?a=1&amp;b=&quot;2&quot;\"");
    }

    @Test
    void instrument_sameLinkTwice_isListedOnceAndRewrittenBothTimes() {
        String html =
                "<a href=\"https://example.com/?a=1&amp;b=2\">x</a>"
                        + "<a href=\"https://example.com/?a=1&#38;b=2\">y</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        String click = escaped(clickUrl("https://example.com/?a=1&b=2"));
        assertThat(result.links()).containsExactly("https://example.com/?a=1&b=2");
        assertThat(result.html())
                .startsWith("<a href=\"" + click + "\">x</a><a href=\"" + click + "\">y</a>");
        assertThat(clickUrlRequests).containsExactly("https://example.com/?a=1&b=2");
    }

    @Test
    void instrument_hrefWithWhitespaceAround_tracksTheTrimmedLink() {
        String html = "<a href=\" \thttps://example.com/a b \n\">x</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/a b");
    }

    @Test
    void instrument_areaAndVmlShapes_areRewritten() {
        String html =
                "<map><area href=\"https://example.com/area\"></map>"
                        + "<v:roundrect href=\"https://example.com/button\"></v:roundrect>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links())
                .containsExactly("https://example.com/area", "https://example.com/button");
    }

    @Test
    void instrument_linksThatAreFetchedNotFollowed_areLeftAlone() {
        String html =
                "<html><head><link rel=\"stylesheet\" href=\"https://example.com/s.css\">"
                        + "</head><body><img src=\"https://example.com/i.png\"></body></html>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).isEmpty();
        assertThat(result.html()).contains("href=\"https://example.com/s.css\"");
    }

    @Test
    void instrument_linksOtherThanHttp_areLeftAlone() {
        String html =
                "<a href=\"#top\">a</a><a href=\"/account\">b</a><a href=\"mailto:a@b.c\">c</a>"
                        + "<a href=\"tel:+1555\">d</a><a href=\"sms:+1555\">e</a>"
                        + "<a href=\"javascript:alert(1)\">f</a><a href=\"//example.com/\">g</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).isEmpty();
        assertThat(result.html()).isEqualTo(html + PIXEL);
    }

    @Test
    void instrument_linkTheRedirectWouldRefuse_isLeftAloneWhileTheOthersAreTracked() {
        String html =
                "<a href=\"https://exa mple.com/\">a</a><a href=\"https://example.com/ok\">b</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/ok");
        assertThat(result.html()).startsWith("<a href=\"https://exa mple.com/\">a</a>");
    }

    @Test
    void instrument_linkWhoseHostBrowsersWriteAnotherWay_isLeftAlone() {
        String html = "<a href=\"https://stra\u00DFe.de/\">a</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).isEmpty();
        assertThat(result.html()).startsWith(html);
    }

    @Test
    void instrument_optedOutLinks_areLeftAloneAndKeepTheirMarker() {
        String html =
                "<a href=\"https://example.com/1\" data-no-track>a</a>"
                        + "<a href=\"https://example.com/2\" data-track=\"false\">b</a>"
                        + "<a href=\"https://example.com/3\" data-unsubscribe>c</a>"
                        + "<a href=\"https://example.com/4\" data-track=\"true\">d</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/4");
        assertThat(result.html())
                .startsWith(
                        "<a href=\"https://example.com/1\" data-no-track>a</a>"
                                + "<a href=\"https://example.com/2\" data-track=\"false\">b</a>"
                                + "<a href=\"https://example.com/3\" data-unsubscribe>c</a>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>x</p>" + PIXEL,
                "<a href=\""
                        + BASE
                        + "/click/t0?redirect=https%3A%2F%2Fexample.com%2F&sig=s\">a</a>",
                "<a data-unsubscribe href=\""
                        + " HTTPS://TRACK.example.com/api/track/unsubscribe/t0\">u</a>",
                "<v:roundrect href=\"" + BASE + "/click/t0?redirect=x\"></v:roundrect>",
                "<p>x</p><!--[if mso]>" + PIXEL + "<![endif]-->",
                "<!--[if gte mso 9]><table><tr><td><IMG SRC=\""
                        + BASE
                        + "/open/t0\"></td></tr></table><![endif]-->",
                "<!--[if gte mso 9]><v:image src=\"" + BASE + "/open/t0\"/><![endif]-->",
                "<!--[if gte mso 9]><v:rect><v:fill src=\""
                        + BASE
                        + "/open/t0\"/></v:rect><![endif]-->",
                "<table><tr><td background=\"" + BASE + "/open/t0\">x</td></tr></table>",
                "<!--[if mso]><table><tr><td><![endif]--><p>1</p><!--[if mso]></td><td"
                        + " background=\""
                        + BASE
                        + "/open/t0\"><![endif]--><p>2</p><!--[if"
                        + " mso]></td></tr></table><![endif]-->",
                "<!--[if mso]><tr><th BACKGROUND=\"" + BASE + "/open/t0\"><![endif]-->",
                "<!--[if mso]><tbody background=\"" + BASE + "/open/t0\"><![endif]-->",
                "<!--[if mso]><frame src=\"" + BASE + "/open/t0\"><![endif]-->",
                "<!--[if mso]><html><body background=\"" + BASE + "/open/t0\"><![endif]-->"
            })
    void instrument_htmlTrackedForAnotherEmail_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("html already holds the pixel, a click link or the")
                .hasMessageEndingWith("register the HTML as it was before it was tracked");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>hi</p><plaintext><a href=\"https://example.com/\">x</a>",
                "<html><body><PLAINTEXT>text",
            })
    void instrument_plaintext_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("<plaintext>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<svg><plaintext>x</plaintext></svg>", "<math><plaintext/></math>"})
    void instrument_plaintextInSvgOrMathMl_isAnElementLikeAnyOther(String html) {
        String out = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(out).contains("plaintext").contains(OPEN_URL);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<frameset><frame src=\"https://example.com/\"></frameset>",
                "<html><head></head><frameset cols=\"50%,50%\"><frame></frameset></html>",
            })
    void instrument_frameset_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("<frameset>");
    }

    @Test
    void instrument_framesetTagInsideABody_isIgnoredAsBrowsersIgnoreIt() {
        String html = "<p>text</p><frameset><frame></frameset><p>more</p>";

        String out = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(out).doesNotContain("frameset").contains(OPEN_URL);
    }

    @Test
    void instrument_trackedOutputUsedAgain_isRefused() {
        String once =
                instrumenter
                        .instrument(
                                "<a href=\"https://example.com/a\">a</a>", clickUrlFor, OPEN_URL)
                        .html();

        assertThatThrownBy(() -> instrumenter.instrument(once, clickUrlFor, BASE + "/open/t2"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void instrument_otherLinkUnderOwnBaseUrl_isLeftAlone_matchingOnlyAtAPathBoundary() {
        String html =
                "<a href=\"HTTPS://TRACK.example.com/api/track/help\">a</a>"
                        + "<a href=\"https://track.example.com/api/tracking\">b</a>"
                        + "<img src=\"https://track.example.com/api/track/logo.png\">";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://track.example.com/api/tracking");
        assertThat(result.html())
                .startsWith("<a href=\"HTTPS://TRACK.example.com/api/track/help\">");
    }

    @Test
    void instrument_conditionalComment_quotesAnUnquotedHrefAndKeepsTheRest() {
        String html =
                "<!--[if mso]><td width=300><a href=https://example.com/?a=1&amp;b=2"
                        + " style=x>Go</a><![endif]-->";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .isEqualTo(
                        "<!--[if mso]><td width=300><a href=\""
                                + escaped(clickUrl("https://example.com/?a=1&b=2"))
                                + "\" style=x>Go</a><![endif]-->"
                                + PIXEL);
    }

    @Test
    void instrument_conditionalComment_keepsSingleQuotes() {
        String html = "<!--[if mso]><v:rect href='https://example.com/r'/><![endif]-->";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .startsWith(
                        "<!--[if mso]><v:rect href='"
                                + escaped(clickUrl("https://example.com/r"))
                                + "'/><![endif]-->");
    }

    @Test
    void instrument_conditionalComment_writesNothingThatCouldEndTheComment() {
        String html = "<!--[if mso]><a href=\"https://example.com/x\">x</a><![endif]-->";
        Function<String, String> hostile = link -> "https://t.example/--><script>'\"";

        String result = instrumenter.instrument(html, hostile, OPEN_URL).html();

        assertThat(result)
                .startsWith(
                        "<!--[if mso]><a"
                                + " href=\"https://t.example/--&gt;&lt;script&gt;&#39;&quot;\">"
                                + "x</a><![endif]-->");
    }

    @Test
    void instrument_plainComment_isKeptAndItsLinksAreNotTracked() {
        String html = "<!-- <a href=\"https://example.com/old\">old</a> --><p>x</p>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).isEmpty();
        assertThat(result.html()).isEqualTo(html + PIXEL);
    }

    @Test
    void instrument_downlevelRevealedConditionAndXmlDeclaration_areKeptAsWritten() {
        String html =
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE html><html><body>"
                        + "<![if !mso]><a href=\"https://example.com/web\">web</a><![endif]>"
                        + "</body></html>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.html())
                .startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE html><html>")
                .contains(
                        "<![if !mso]><a href=\""
                                + escaped(clickUrl("https://example.com/web"))
                                + "\">web</a><![endif]>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<!", "<!x", "<!-", "<![", "<![if !mso]", "<![CDATA[x", "</3"})
    void instrument_fragmentEndingInsideACommentLeftOpen_keepsItAfterThePixel(String leftOpen) {
        String html = "<p>x</p>" + leftOpen;

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).isEqualTo("<p>x</p>" + PIXEL + leftOpen);
        assertThat(Jsoup.parseBodyFragment(result).select("img[src=" + OPEN_URL + "]")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>x<!x",
                "<div style=\"display:none\">Preview text<![endif]",
                "<template><!x",
                "<select><option><!x",
                "<div hidden></ x",
                "<svg><desc><!x"
            })
    void instrument_elementEndingInsideACommentLeftOpen_getsThePixelLastInTheBodyAndTheRestAfter(
            String html) {
        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        Element pixel = Jsoup.parseBodyFragment(result).selectFirst("img[src=" + OPEN_URL + "]");
        assertThat(pixel).isNotNull();
        assertThat(pixel.parent().normalName()).isEqualTo("body");
        assertThat(result).contains(PIXEL + html.substring(html.lastIndexOf('<')));
    }

    @Test
    void instrument_documentEndingInsideACommentLeftOpen_keepsItAfterThePixel() {
        String html = "<html><body><p>x</p></body></html><![endif]";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(Jsoup.parse(result).select("body > img[src=" + OPEN_URL + "]")).hasSize(1);
        assertThat(result).endsWith(PIXEL + "<![endif]</body></html>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>Hi</p><script><!--<script>",
                "<p>Hi</p><script><!--<script>x",
                "<html><head><script><!--<script></head><body><p>x"
            })
    void instrument_bodyEndingInsideAScriptThatWouldHideThePixel_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("would hide the tracking pixel");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<svg><script><!--</script>--></script></svg><p>Hi</p>",
                "<svg><script></svg><p>Hi <a href=\"https://example.com/a\">link</a></p>"
            })
    void instrument_scriptInsideSvg_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("<script> inside <svg> is not supported");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>Hi</p><noscript><svg><style></svg></noscript><p>Bye<textarea>",
                "<p>Hi</p><noscript><math><style></math></noscript><div hidden><p>Bye</p>",
                "<select><iframe><script>\n",
                "<select><style></select><p><a href=\"https://example.com/a\">x</a></p>"
            })
    void instrument_contentBrowsersReadOtherwiseThanTheParser_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("is not supported");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<form action=\"/s\"><div>Search <input name=q></form><table><tr><td>"
                        + "<form action=\"/v\"><button>Vote</button></form></td></tr></table>"
                        + "</div><p>Bye</p>",
                "<rp><form><i></form><table><td><form>",
                "<video><form><table><td><noscript><form></form></noscript></table></form></video>"
            })
    void instrument_formThatTheParserNestsInAnother_isRefused(String html) {
        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a <form> inside another is not supported");
    }

    @Test
    void instrument_processingInstructionWithANul_isKeptAsWrittenWithTheReplacementCharacter() {
        String html = "<p>x<?x a=\u0000?>y</p>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).isEqualTo("<p>x<?x a=\uFFFD?>y</p>" + PIXEL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<?x\u0000y>", "<![if !mso\u0000]>", "</ \u0000>"})
    void instrument_nulInAConstructKeptAsWritten_becomesTheReplacementCharacter(String construct) {
        String html = "<p>a</p>" + construct + "<p>b</p>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).doesNotContain("\u0000").contains(construct.replace('\u0000', '\uFFFD'));
    }

    @Test
    void instrument_entitiesAndNonAsciiText_stayReadable() {
        String html = "<p>caf&eacute; &amp; cr&egrave;me&nbsp;br&ucirc;l&eacute; &lt;3 日本</p>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).isEqualTo("<p>café &amp; crème&nbsp;brûlé &lt;3 日本</p>" + PIXEL);
    }

    @Test
    void instrument_htmlOverTheSizeLimit_isRefusedNamingTheLimit() {
        HtmlInstrumenter small = new HtmlInstrumenter(BASE, 100, 10);

        assertThat(small.instrument("é".repeat(50), clickUrlFor, OPEN_URL).links()).isEmpty();
        assertThatThrownBy(() -> small.instrument("é".repeat(51), clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("html must be at most 100 bytes in UTF-8");
    }

    @Test
    void instrument_formattingTagsLeftOpen_refusedBeforeTheOutputGrowsPastItsBound() {
        // Twelve <b> left open are opened again, with their attributes, in every paragraph after.
        StringBuilder open = new StringBuilder("<p>");
        for (int i = 0; i < 12; i++) {
            open.append("<b title=").append(i).append("A".repeat(2000)).append('>');
        }
        String html = open + "</p>" + "<p>x</p>".repeat(1000);

        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(
                        "html would come out longer than "
                                + HtmlInstrumenter.OUTPUT_FLOOR
                                + " characters once tracked")
                .hasMessageEndingWith("close such tags");
    }

    @Test
    void instrument_formattingTagsLeftOpenOverShortBlocks_refusedWhileParsed() {
        // Each "<p>x" of four characters builds thirteen elements: itself and the twelve <b>.
        StringBuilder open = new StringBuilder("<p>");
        for (int i = 0; i < 12; i++) {
            open.append("<b id=").append(i).append('>');
        }
        String html = open + "<p>x".repeat(20_000);

        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(
                        "html would build more than "
                                + HtmlInstrumenter.MIN_ELEMENTS
                                + " elements once parsed")
                .hasMessageEndingWith("close such tags");
    }

    @Test
    void instrument_linkWithTabsAndLineBreaksWithin_isTrackedAsABrowserReadsIt() {
        String html = "<a href=\"https://exa\nmple.com/pa\tth\r\n\">x</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/path");
        assertThat(result.html())
                .contains("href=\"" + escaped(clickUrl("https://example.com/path")) + "\"");
    }

    @Test
    void instrument_linkAfterMoreAttributesThanTheParserKeeps_isRefusedNotDropped() {
        StringBuilder tag = new StringBuilder("<a");
        for (int i = 0; i < HtmlInstrumenter.MAX_ATTRIBUTES; i++) {
            tag.append(" x").append(i).append("=1");
        }
        String html = tag + " href=\"https://example.com/\">x</a>";

        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(
                        "html has a tag with 512 attributes or more, a name written twice counting"
                                + " twice, past which they would be dropped; give each tag fewer"
                                + " than 512");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x=1 ", "x ", "/x", "x='1'", "x = \"1\" ", "x=\"\""})
    void instrument_linkAfterARepeatedAttributeThatFillsWhatTheParserKeeps_isRefused(String one) {
        String html = "<a " + one.repeat(600) + " href=\"https://example.com/\">x</a>";

        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("html has a tag with 512 attributes or more");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<table>%s</table>",
                "<table><tr>%s</tr></table>",
                "<table><tbody>%s</tbody></table>",
                "<!DOCTYPE html><html><body><table>%s</table></body></html>"
            })
    void instrument_linkMovedOutOfATableAfterTheAttributesTheParserKeeps_isRefused(String shape) {
        String link = "<a" + " x=1".repeat(512) + " href=\"https://example.com/z\">z</a>";
        String html = String.format(shape, link);

        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("html has a tag with 512 attributes or more");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p>hi</p><!--[if mso]>%s<![endif]-->",
                "<!--[if mso]><table><tr><td>%s</td></tr></table><![endif]-->"
            })
    void instrument_linkInAConditionalCommentAfterTheAttributesTheParserKeeps_isRefused(
            String shape) {
        String link = "<a" + " x".repeat(600) + " href=\"https://example.com/lost\">Buy</a>";
        String html = String.format(shape, link);

        assertThatThrownBy(() -> instrumenter.instrument(html, clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("html has a tag with 512 attributes or more");
    }

    @Test
    void instrument_linkMovedOutOfATable_isTracked() {
        String html = "<table><a href=\"https://example.com/z\">z</a><tr><td>x</td></tr></table>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/z");
    }

    @Test
    void instrument_linkAfterARepeatedAttributeWrittenFewerTimesThanTheParserKeeps_isTracked() {
        String html = "<a " + "x=1 ".repeat(510) + " href=\"https://example.com/\">x</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/");
    }

    @Test
    void instrument_linkAfterAsManyAttributesAsTheParserKeepsButOne_isTracked() {
        StringBuilder tag = new StringBuilder("<a");
        for (int i = 0; i < HtmlInstrumenter.MAX_ATTRIBUTES - 2; i++) {
            tag.append(" x").append(i).append("=1");
        }
        String html = tag + " href=\"https://example.com/\">x</a>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).contains("href=\"" + escaped(clickUrl("https://example.com/")) + "\"");
    }

    @Test
    void instrument_editorsBlankLinesUnderTagsLeftOpen_isTracked() {
        // A rich-text editor's blank lines after a font it never closed: five times as long once
        // parsed, as real mail may be.
        String html = "<p><b><i><u><font face=Arial>" + "<p><br></p>".repeat(2020);

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).endsWith(PIXEL);
    }

    @Test
    void instrument_bodyOfTheShortestLinks_isNotRefusedForItsGrowth() {
        String html = "<a href=http://a.b/>x</a>".repeat(80_000);

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result).endsWith(PIXEL);
        assertThat(result.length()).isGreaterThan(3 * html.length());
    }

    @Test
    void instrument_conditionalComment_metaDeclaringAnotherCharset_declaresUtf8() {
        String html =
                "<!--[if mso]><meta charset=iso-8859-1><meta http-equiv='Content-Type'"
                        + " content='text/html; charset=windows-1252'><meta charset=\"UTF-8\">"
                        + "<![endif]--><p>café</p>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .isEqualTo(
                        "<!--[if mso]><meta charset=\"utf-8\"><meta http-equiv='Content-Type'"
                                + " content='text/html; charset=utf-8'><meta charset=\"UTF-8\">"
                                + "<![endif]--><p>café</p>"
                                + PIXEL);
    }

    @Test
    void instrument_referenceToHalfASurrogatePair_readsItAsTheReplacementCharacterAsHtmlDoes() {
        String html = "<a href=\"https://example.com/?q=a&#xD800;b\">x&#xDFFF;</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/?q=a\uFFFDb");
        assertThat(result.html())
                .isEqualTo(
                        "<a href=\""
                                + escaped(clickUrl("https://example.com/?q=a\uFFFDb"))
                                + "\">x\uFFFD</a>"
                                + PIXEL);
    }

    @Test
    void instrument_metaDeclaringAnotherCharsetTwice_declaresUtf8InBoth() {
        String meta =
                "<meta charset=\"iso-8859-1\" http-equiv=\"Content-Type\""
                        + " content=\"text/html; charset=iso-8859-1\">";
        String utf8 =
                "<meta charset=\"utf-8\" http-equiv=\"Content-Type\""
                        + " content=\"text/html; charset=utf-8\">";
        String html = "<html><head>" + meta + "</head><body><!--[if mso]>" + meta + "<![endif]-->";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .isEqualTo(
                        "<html><head>"
                                + utf8
                                + "</head><body><!--[if mso]>"
                                + utf8
                                + "<![endif]-->"
                                + PIXEL
                                + "</body></html>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<meta charset>",
                "<meta charset=\"\">",
                "<meta charset= >",
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=\">"
            })
    void instrument_metaWithAnEmptyCharset_isKeptInAndOutOfConditionalComments(String meta) {
        String html = "<!--[if mso]>" + meta + "<![endif]--><p>x</p>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();
        String outside = instrumenter.instrument(meta + "<p>x</p>", clickUrlFor, OPEN_URL).html();

        assertThat(result).isEqualTo(html + PIXEL);
        assertThat(outside).startsWith("<meta ").doesNotContain("utf-8");
    }

    @Test
    void instrument_conditionalComment_metaWithALinkAndHalfASurrogatePair_declaresUtf8() {
        String html =
                "<!--[if mso]><meta href=\"https://example.com/m\" charset=\"iso-8859-1\""
                        + " content=\"text/html; charset=&#xDBFF;\" http-equiv=\"Content-Type\">"
                        + "<![endif]-->";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .contains("charset=\"utf-8\"")
                .contains("content=\"text/html; charset=utf-8\"");
    }

    @Test
    void instrument_conditionalComment_linkWithAReferenceToHalfASurrogatePair_isTracked() {
        String html = "<!--[if mso]><a href=\"https://example.com/?q=&#xD800;\">x</a><![endif]-->";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/?q=\uFFFD");
        assertThat(result.html())
                .isEqualTo(
                        "<!--[if mso]><a href=\""
                                + escaped(clickUrl("https://example.com/?q=\uFFFD"))
                                + "\">x</a><![endif]-->"
                                + PIXEL);
    }

    @Test
    void instrument_metaDeclaringAnotherCharset_declaresUtf8() {
        String html =
                "<html><head><meta charset=\"iso-8859-1\"><meta http-equiv=\"Content-Type\""
                    + " content=\"text/html; charset = windows-1252\"><meta http-equiv=\"refresh\""
                    + " content=\"30\"></head><body>café</body></html>";

        String result = instrumenter.instrument(html, clickUrlFor, OPEN_URL).html();

        assertThat(result)
                .isEqualTo(
                        "<html><head><meta charset=\"utf-8\">"
                                + "<meta http-equiv=\"Content-Type\" content=\"text/html;"
                                + " charset=utf-8\">"
                                + "<meta http-equiv=\"refresh\" content=\"30\">"
                                + "</head><body>café"
                                + PIXEL
                                + "</body></html>");
    }

    @Test
    void instrument_tooManyDistinctLinks_isRefusedNamingTheLimit() {
        HtmlInstrumenter twoLinks = new HtmlInstrumenter(BASE, 1000, 2);
        String two = links(2) + links(2);

        assertThat(twoLinks.instrument(two, clickUrlFor, OPEN_URL).links()).hasSize(2);
        assertThatThrownBy(() -> twoLinks.instrument(links(3), clickUrlFor, OPEN_URL))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("html may have at most 2 distinct links to track");
    }

    @Test
    void instrument_defaultLimits_are2MiBAnd1000Links() {
        String twoMiB = "a".repeat(2 * 1024 * 1024);

        assertThat(instrumenter.instrument(links(1000), clickUrlFor, OPEN_URL).links())
                .hasSize(1000);
        assertThatThrownBy(() -> instrumenter.instrument(links(1001), clickUrlFor, OPEN_URL))
                .hasMessageContaining("at most 1000 distinct links");
        assertThat(instrumenter.instrument(twoMiB, clickUrlFor, OPEN_URL).html()).startsWith("aaa");
        assertThatThrownBy(() -> instrumenter.instrument(twoMiB + "a", clickUrlFor, OPEN_URL))
                .hasMessageContaining("at most 2097152 bytes");
    }

    @Test
    void instrument_deeplyNestedBody_isWrittenBackWithThePixelLast() {
        String html = "<div>".repeat(200_000) + "<a href=\"https://example.com/deep\">x</a>";

        InstrumentedHtml result = instrumenter.instrument(html, clickUrlFor, OPEN_URL);

        assertThat(result.links()).containsExactly("https://example.com/deep");
        assertThat(result.html()).endsWith("</div>" + PIXEL);
    }

    @Test
    void newInstrumenter_badSettings_areRefusedNamingThem() {
        assertThatThrownBy(() -> new HtmlInstrumenter("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> new HtmlInstrumenter(BASE, 0, 10))
                .hasMessage("maxHtmlBytes and maxLinks must be positive, not 0 and 10");
    }

    private static String clickUrl(String link) {
        return BASE
                + "/click/t1?redirect="
                + URLEncoder.encode(link, StandardCharsets.UTF_8)
                + "&sig=s";
    }

    private static String escaped(String attributeValue) {
        return attributeValue.replace("&", "&amp;");
    }

    private static String links(int count) {
        StringBuilder html = new StringBuilder();
        for (int i = 0; i < count; i++) {
            html.append("<a href=\"https://example.com/").append(i).append("\">x</a>");
        }
        return html.toString();
    }
}
