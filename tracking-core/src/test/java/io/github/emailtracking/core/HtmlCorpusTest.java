package io.github.emailtracking.core;

import static io.github.emailtracking.core.InstrumentingMailer.BASE;
import static io.github.emailtracking.core.InstrumentingMailer.corpusMail;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.core.HtmlComparison.Rewritten;
import io.github.emailtracking.core.InstrumentingMailer.SentMail;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * Instruments the mails in {@code src/test/resources/html} through a real tracker and checks both
 * what changed in each (only links and the pixel) and where every rewritten link leads.
 */
class HtmlCorpusTest {

    private static final List<String> NEWSLETTER_LINKS =
            List.of(
                    "https://news.northwind.example/editions/2026-spring?utm_source=newsletter"
                            + "&utm_medium=email",
                    "https://www.northwind.example/?utm_source=newsletter&utm_medium=email"
                            + "&utm_campaign=spring-2026",
                    "https://www.northwind.example/catalogue/seeds?utm_source=newsletter"
                            + "&utm_medium=email&utm_campaign=spring-2026",
                    "https://www.northwind.example/tools/bypass-pruners?variant=blue"
                            + "&utm_source=newsletter",
                    "https://events.northwind.example/workshops/42/signup?utm_source=newsletter",
                    "https://social.example/northwind",
                    "https://www.northwind.example/preferences?member=8812");

    private static final List<String> RECEIPT_LINKS =
            List.of(
                    "https://shop.example.com/orders/10023?token=f3a9c1&utm_source=receipt",
                    "https://shop.example.com/invoices/Invoice%2010023.pdf",
                    "https://carrier.example.net/track?id=1Z999AA10123456784&lang=en",
                    "https://shop.example.com/legal/terms#returns");

    private static final List<String> OUTLOOK_LINKS =
            List.of(
                    "https://events.example.org/webinar/register?seat=A1&ref=mail",
                    "https://events.example.org/agenda?day=1&track=b",
                    "https://events.example.org/recordings/2026-03",
                    "https://events.example.org/recordings/2026-03?client=web");

    private static final List<String> FRAGMENT_LINKS =
            List.of(
                    "https://docs.example.com/d/8f2k1/edit?usp=sharing",
                    "https://staging.example.com/build/1187",
                    "https://docs.example.com/d/8f2k1/edit?usp=sharing#heading=h.q3");

    private static final List<String> EVERY_KIND_LINKS =
            List.of(
                    "https://example.com/search?q=shoes&size=42&color=red",
                    "https://example.com/search?q=shoes&size=43",
                    "https://example.com/search?q=boots&size=44",
                    "https://example.com/search?q=hats&size=m",
                    "https://example.com/legacy?a=1&copy=2&not=3",
                    "https://example.com/files/a%2Fb%20c.pdf",
                    "https://example.com/caf%C3%A9",
                    "https://example.com/guide#step-3",
                    "https://example.com/café/menü?ß=straße#größe",
                    "https://bücher.example/straße",
                    "https://example.com/list?filter[color]=red&filter[size][]=m",
                    "https://example.com/at/12:30:00?from=09:00",
                    "https://example.com/o'reilly/it's-here",
                    "https://example.com/say?text=\"hi\"",
                    "https://example.com/padded?x=1",
                    "HTTPS://Example.COM/Upper?Q=1",
                    "http://[2001:db8::7]:8080/v6?x=1",
                    "https://example.com/regions/north?zoom=2&pin=1");

    private final InstrumentingMailer mailer = new InstrumentingMailer();

    @Test
    void instrument_newsletter_changesOnlyLinksAndAddsThePixel() {
        SentMail sent = mailer.send(corpusMail("newsletter.html"));

        List<Rewritten> rewritten = compare(sent, false);

        assertThat(sent.instrumented().links()).containsExactlyElementsOf(NEWSLETTER_LINKS);
        assertThat(rewritten).extracting(Rewritten::original).hasSize(8);
        assertThat(sent.instrumented().html())
                .startsWith(
                        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">")
                .contains("Seeds, tools and a free workshop \u200C&nbsp;\u200C&nbsp;")
                .contains(
                        "<a href=\"https://www.northwind.example/unsubscribe?member=8812&amp;"
                                + "list=news\" data-unsubscribe style=\"color:#666;\">");
    }

    @Test
    void instrument_newsletter_everyClickRedirectsToTheSendersLink() {
        SentMail sent = mailer.send(corpusMail("newsletter.html"));

        assertEveryClickRedirectsToTheSendersLink(sent, compare(sent, false), NEWSLETTER_LINKS);
    }

    @Test
    void instrument_receipt_changesOnlyLinksAndAddsThePixel() {
        SentMail sent = mailer.send(corpusMail("receipt.html"));

        compare(sent, false);

        assertThat(sent.instrumented().links()).containsExactlyElementsOf(RECEIPT_LINKS);
        assertThat(sent.instrumented().html())
                .startsWith("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"")
                .contains("<a href=\"#items\">jump to items</a>")
                .contains("<a href=\"mailto:help@shop.example.com?subject=Order%2010023\">")
                .contains("<a href=\"tel:+4930123456\">")
                .contains("<a href=\"/account\" style=\"color:#888;\">");
    }

    @Test
    void instrument_receipt_everyClickRedirectsToTheSendersLink() {
        SentMail sent = mailer.send(corpusMail("receipt.html"));

        assertEveryClickRedirectsToTheSendersLink(sent, compare(sent, false), RECEIPT_LINKS);
    }

    @Test
    void instrument_outlookMail_changesOnlyLinksAndAddsThePixel() {
        SentMail sent = mailer.send(corpusMail("outlook-buttons.html"));

        List<Rewritten> rewritten = compare(sent, false);

        assertThat(sent.instrumented().links()).containsExactlyElementsOf(OUTLOOK_LINKS);
        assertThat(rewritten).extracting(Rewritten::original).hasSize(6);
    }

    @Test
    void instrument_outlookMail_everyClickRedirectsToTheSendersLink() {
        SentMail sent = mailer.send(corpusMail("outlook-buttons.html"));

        assertEveryClickRedirectsToTheSendersLink(sent, compare(sent, false), OUTLOOK_LINKS);
    }

    @Test
    void instrument_outlookButton_rewritesHrefInsideConditionalComment() {
        String source = corpusMail("outlook-buttons.html");
        String button = between(source, "<!--[if mso]>\n    <v:roundrect", "<![endif]-->");
        String href = "href=\"https://events.example.org/webinar/register?seat=A1&amp;ref=mail\"";

        SentMail sent = mailer.send(source);

        String clickUrl = clickUrlOf(sent, OUTLOOK_LINKS.get(0));
        assertThat(button).contains(href);
        assertThat(sent.instrumented().html())
                .contains(button.replace(href, "href=\"" + attributeText(clickUrl) + "\""));
    }

    @Test
    void instrument_outlookMail_keepsGhostTablesAndConditionsByteForByte() {
        String source = corpusMail("outlook-buttons.html");

        String html = mailer.send(source).instrumented().html();

        assertThat(html)
                .contains(between(source, "<!--[if gte mso 9]>", "<![endif]-->"))
                .contains(between(source, "<!--[if mso]>\n<style", "<![endif]-->"))
                .contains(
                        "<!--[if mso]><table role=\"presentation\" align=\"center\" width=\"600\""
                                + " cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr><td>"
                                + "<![endif]-->")
                .contains("<!--[if mso]></td><td width=\"276\" valign=\"top\"><![endif]-->")
                .contains("<!--[if mso]></td></tr></table><![endif]-->")
                .contains("<!--[if !mso]><!-- -->", "<!--[if !mso]><!-->", "<!--<![endif]-->")
                .contains("<![if !mso]><a href=\"", "</a><![endif]>")
                .contains(
                        "<!-- old footer, kept for reference:"
                                + " <a href=\"https://old.example.org/\">old site</a> -->");
    }

    @Test
    void instrument_outlookMail_quotesAnUnquotedHrefAndSkipsANoTrackLinkInAComment() {
        SentMail sent = mailer.send(corpusMail("outlook-buttons.html"));

        String recording = attributeText(clickUrlOf(sent, OUTLOOK_LINKS.get(2)));
        String agenda = attributeText(clickUrlOf(sent, OUTLOOK_LINKS.get(1)));
        assertThat(sent.instrumented().html())
                .contains(
                        "<!--[if mso]><a href=\""
                                + recording
                                + "\" style=\"color:#1e3650;\">Get the recording</a> &middot;"
                                + " <a href=\"https://help.example.org/outlook\" data-no-track>"
                                + "Outlook help</a><![endif]-->")
                .contains("href='" + agenda + "' style=\"width:200px;height:36px;\"");
    }

    @Test
    void instrument_fragment_staysAFragmentAndChangesOnlyLinks() {
        SentMail sent = mailer.send(corpusMail("fragment.html"));

        compare(sent, true);

        String html = sent.instrumented().html();
        assertThat(sent.instrumented().links()).containsExactlyElementsOf(FRAGMENT_LINKS);
        assertThat(html)
                .startsWith("<style>p { margin: 0 0 10px; }</style>\n<!-- signature v2 -->\n<div")
                .endsWith(
                        "</div>\n<img src=\""
                                + sent.email().openUrl()
                                + "\" width=\"1\" height=\"1\" alt=\"\""
                                + " style=\"display:block;border:0;width:1px;height:1px\">")
                .doesNotContain("<html", "<head", "<body");
    }

    @Test
    void instrument_fragment_everyClickRedirectsToTheSendersLink() {
        SentMail sent = mailer.send(corpusMail("fragment.html"));

        assertEveryClickRedirectsToTheSendersLink(sent, compare(sent, true), FRAGMENT_LINKS);
    }

    @Test
    void instrument_linksOfEveryCharacterClass_changeOnlyTheTrackedHrefs() {
        SentMail sent = mailer.send(corpusMail("every-kind-of-link.html"));

        List<Rewritten> rewritten = compare(sent, false);

        assertThat(sent.instrumented().links()).containsExactlyElementsOf(EVERY_KIND_LINKS);
        assertThat(rewritten).extracting(Rewritten::original).hasSize(19);
        assertThat(sent.instrumented().html())
                .contains("She said \"click the links below\" &amp; left. 3 &lt; 4, café, 日本語")
                .contains(
                        "<link rel=\"stylesheet\""
                                + " href=\"https://fonts.example.com/css2?family=Inter&amp;"
                                + "display=swap\">");
    }

    @Test
    void instrument_linksOfEveryCharacterClass_redirectToTheSendersLinkByteForByte() {
        SentMail sent = mailer.send(corpusMail("every-kind-of-link.html"));

        assertEveryClickRedirectsToTheSendersLink(sent, compare(sent, false), EVERY_KIND_LINKS);
        assertThat(locationOf(sent, "https://example.com/files/a%2Fb%20c.pdf"))
                .isEqualTo("https://example.com/files/a%2Fb%20c.pdf");
        assertThat(locationOf(sent, "https://example.com/café/menü?ß=straße#größe"))
                .isEqualTo(
                        "https://example.com/caf%C3%A9/men%C3%BC?%C3%9F=stra%C3%9Fe"
                                + "#gr%C3%B6%C3%9Fe");
        assertThat(locationOf(sent, "https://bücher.example/straße"))
                .isEqualTo("https://xn--bcher-kva.example/stra%C3%9Fe");
        assertThat(locationOf(sent, "https://example.com/o'reilly/it's-here"))
                .isEqualTo("https://example.com/o'reilly/it's-here");
    }

    @Test
    void instrument_linksOfEveryCharacterClass_leavesUntrackedLinksAsTheyWere() {
        String source = corpusMail("every-kind-of-link.html");

        SentMail sent = mailer.send(source);

        List<String> before = leftAloneHrefs(source);
        List<String> after = leftAloneHrefs(sent.instrumented().html());
        assertThat(before).hasSize(15);
        assertThat(after).containsExactlyElementsOf(before);
    }

    private List<Rewritten> compare(SentMail sent, boolean fragment) {
        return HtmlComparison.compare(
                sent.source(), sent.instrumented().html(), sent.email().openUrl(), BASE, fragment);
    }

    private void assertEveryClickRedirectsToTheSendersLink(
            SentMail sent, List<Rewritten> rewritten, List<String> intended) {
        assertThat(rewritten)
                .extracting(Rewritten::original)
                .isSubsetOf(intended)
                .containsAll(intended);
        for (Rewritten link : rewritten) {
            ClickUrl click = ClickUrl.parse(BASE, link.clickUrl()).orElseThrow();

            String location = mailer.follow(click);

            assertThat(link.clickUrl()).isEqualTo(clickUrlOf(sent, link.original()));
            assertThat(click.trackingId()).isEqualTo(sent.email().trackingId().value());
            assertThat(location)
                    .as(link.original())
                    .isEqualTo(WebLink.parse(link.original()).orElseThrow().location());
        }
    }

    private String locationOf(SentMail sent, String original) {
        return mailer.follow(ClickUrl.parse(BASE, clickUrlOf(sent, original)).orElseThrow());
    }

    /** Returns the click URL that the tracker made for a link when the mail was registered. */
    private static String clickUrlOf(SentMail sent, String original) {
        String clickUrl = sent.email().clickUrls().get(original);
        assertThat(clickUrl).as("click URL of " + original).isNotNull();
        return clickUrl;
    }

    /** Returns the hrefs of the paragraph of links the mail expects to be left alone. */
    private static List<String> leftAloneHrefs(String html) {
        Element paragraph = Jsoup.parse(html).select("p").last();
        return paragraph.select("a").stream().map(a -> a.attr("href")).toList();
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        return text.substring(from, text.indexOf(end, from) + end.length());
    }

    private static String attributeText(String value) {
        return value.replace("&", "&amp;");
    }
}
