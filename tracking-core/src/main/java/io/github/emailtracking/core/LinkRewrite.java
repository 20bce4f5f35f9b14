package io.github.emailtracking.core;

import io.github.emailtracking.api.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * The links of one HTML body: decides which elements' links are tracked and gives each distinct
 * original link one click URL. One instance serves one body; not thread-safe.
 */
final class LinkRewrite {

    private static final String HREF = "href";

    /** The attributes whose URL a mail client fetches as it renders the element. */
    private static final List<String> FETCHED_ON_RENDERING = List.of("src", "background");

    /** What a browser removes from anywhere in a URL before reading it (the URL standard). */
    private static final Pattern TABS_AND_LINE_BREAKS = Pattern.compile("[\t\n\r]");

    private static final String ALREADY_TRACKED =
            "html already holds the pixel, a click link or the unsubscribe link of another email"
                    + " of this tracker, where the new email's would count for that one: register"
                    + " the HTML as it was before it was tracked";

    private final String publicBaseUrl;
    private final int maxLinks;
    private final Function<String, String> clickUrlFor;
    private final Map<String, String> clickUrls = new LinkedHashMap<>();

    LinkRewrite(String publicBaseUrl, int maxLinks, Function<String, String> clickUrlFor) {
        this.publicBaseUrl = publicBaseUrl;
        this.maxLinks = maxLinks;
        this.clickUrlFor = clickUrlFor;
    }

    /**
     * Returns the click URL that replaces the element's {@code href}, or empty when the element
     * keeps its link: it is not a followed link, opted out of tracking, its link is not an http or
     * https URL that a click may redirect to, or the caller gives it no click URL.
     *
     * @throws InvalidRequestException if this is one distinct link more than allowed, or a link the
     *     tracker made for an email
     */
    Optional<String> clickUrlOf(Element element) {
        if (!isFollowedLink(element)) {
            return Optional.empty();
        }
        requireNotMadeForAnEmail(element.attr(HREF));
        if (isOptedOut(element)) {
            return Optional.empty();
        }
        return originalLink(element.attr(HREF)).flatMap(this::clickUrl);
    }

    /**
     * Fails when the element fetches the pixel of an email as it renders, as the source of an image
     * or of Outlook's VML image, fill or shape, or as the background of a table or a cell: opened
     * with the new email, it would count an open for that one.
     *
     * @throws InvalidRequestException if it does
     */
    void requireNoPixelOfAnEmail(Element element) {
        for (String attribute : FETCHED_ON_RENDERING) {
            if (element.hasAttr(attribute)) {
                requireNotMadeForAnEmail(element.attr(attribute));
            }
        }
    }

    /**
     * Fails when a URL is one the tracker made for an email: a body being registered is a new
     * email's, so such a URL is another email's, left there when tracked HTML was used again.
     *
     * @throws InvalidRequestException if it is
     */
    private void requireNotMadeForAnEmail(String url) {
        if (TrackingLinks.isMadeForAnEmail(publicBaseUrl, asABrowserReadsIt(url))) {
            throw new InvalidRequestException(ALREADY_TRACKED);
        }
    }

    /** Returns the original links given a click URL so far, in the order they were met. */
    List<String> links() {
        return List.copyOf(clickUrls.keySet());
    }

    /**
     * Returns whether a mail client takes the element's {@code href} as a link to follow: anchors,
     * image-map areas and the VML shapes of Outlook's buttons, but not {@code <link>} or {@code
     * <base>}, whose targets are fetched with every open.
     */
    private static boolean isFollowedLink(Element element) {
        String name = element.normalName();
        return element.hasAttr(HREF)
                && (name.equals("a") || name.equals("area") || name.startsWith("v:"));
    }

    private static boolean isOptedOut(Element element) {
        return element.hasAttr("data-no-track")
                || element.attr("data-track").strip().equalsIgnoreCase("false")
                || element.hasAttr("data-unsubscribe");
    }

    /**
     * Returns the link a click on {@code href} leads to, read as a browser reads it, when it is one
     * to track: an http or https URL that is not already one of the tracker's own.
     */
    private Optional<String> originalLink(String href) {
        String link = asABrowserReadsIt(href);
        if (WebLink.parse(link).isEmpty() || TrackingLinks.isUnder(publicBaseUrl, link)) {
            return Optional.empty();
        }
        return Optional.of(link);
    }

    /** Returns the click URL of a link, or empty when the caller gives it none. */
    private Optional<String> clickUrl(String original) {
        if (!clickUrls.containsKey(original) && clickUrls.size() >= maxLinks) {
            throw new InvalidRequestException(
                    "html may have at most " + maxLinks + " distinct links to track");
        }
        // A null from the caller leaves the link out of the map, and so untracked.
        return Optional.ofNullable(clickUrls.computeIfAbsent(original, clickUrlFor));
    }

    /**
     * Returns a URL as a browser reads it: without the ASCII whitespace around it, nor the tabs and
     * line breaks within it.
     */
    private static String asABrowserReadsIt(String url) {
        return TABS_AND_LINE_BREAKS.matcher(trimAsciiWhitespace(url)).replaceAll("");
    }

    /** Strips what HTML calls ASCII whitespace: tab, line feed, form feed, return and space. */
    private static String trimAsciiWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isAsciiWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
    }
}
