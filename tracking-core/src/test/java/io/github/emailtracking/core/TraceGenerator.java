package io.github.emailtracking.core;

import io.github.emailtracking.core.Trace.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Makes labelled traces of five kinds of recipient, each modelled on what is published about how
 * its mail system and its person behave (the sources are those named in {@code
 * classifier-rules.txt}). Where nothing is published, such as how often a device is offline when a
 * mail arrives, the proportion is an assumption, named where it is made; the generator never looks
 * at the rules.
 *
 * <p>Every draw comes from the {@link Random} given, so a seed makes the same traces every time.
 */
final class TraceGenerator {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** The links a mail may carry; each mail has the first one to eight of them. */
    private static final List<String> LINKS =
            IntStream.rangeClosed(1, 8)
                    .mapToObj(i -> "https://shop.example.com/spring-sale/item-" + i)
                    .toList();

    /** Since September 2021 Apple's privacy proxy sends this bare user agent. */
    private static final String APPLE_PROXY_AGENT = "Mozilla/5.0";

    /** iCloud Private Relay egress blocks (Akamai, Cloudflare, Fastly), from Apple's list. */
    private static final List<String> PRIVATE_RELAY =
            List.of(
                    "172.225.0.0/16",
                    "172.226.0.0/16",
                    "104.28.0.0/16",
                    "146.75.160.0/19",
                    "2a02:26f7::/32",
                    "2a09:bac0::/29");

    private static final String GMAIL_PROXY_AGENT =
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com"
                    + " GoogleImageProxy)";

    /** Google's blocks that image proxy fetches are seen from. */
    private static final List<String> GOOGLE =
            List.of("66.249.80.0/20", "66.102.0.0/20", "74.125.208.0/20", "2a00:1450::/32");

    /** Mobile carriers' blocks (T-Mobile US, Verizon, Telekom Germany). */
    private static final List<String> CARRIERS =
            List.of(
                    "172.56.0.0/14",
                    "174.192.0.0/10",
                    "80.187.0.0/16",
                    "2607:fb90::/32",
                    "2a01:598::/32");

    /** Home and office broadband blocks (Comcast, Virgin Media, Telekom Germany). */
    private static final List<String> BROADBAND =
            List.of(
                    "73.0.0.0/8",
                    "24.0.0.0/12",
                    "86.0.0.0/11",
                    "93.192.0.0/10",
                    "2601::/20",
                    "2003::/19");

    /**
     * Security gateways and the share of scanned mail each handles (an assumption). All but the
     * last scan from blocks that the built-in rules list; the last is a scanner in a public cloud
     * whose blocks no rule lists, as Safe Links' detonation in Azure may be.
     */
    private static final List<Gateway> GATEWAYS =
            List.of(
                    new Gateway(
                            0.50,
                            List.of(
                                    "40.92.0.0/15",
                                    "40.107.0.0/16",
                                    "52.100.0.0/14",
                                    "104.47.0.0/17",
                                    "40.94.0.0/16",
                                    "2a01:111:f400::/48",
                                    "2a01:111:f403::/48")),
                    new Gateway(0.20, List.of("67.231.144.0/20", "148.163.128.0/19")),
                    new Gateway(
                            0.12,
                            List.of(
                                    "205.139.110.0/24",
                                    "216.205.24.0/24",
                                    "63.128.21.0/24",
                                    "170.10.129.0/24",
                                    "170.10.133.0/24",
                                    "185.58.86.0/24",
                                    "194.104.109.0/24")),
                    new Gateway(0.08, List.of("209.222.80.0/21")),
                    new Gateway(
                            0.10,
                            List.of("20.0.0.0/11", "3.0.0.0/9", "34.64.0.0/10", "54.144.0.0/12")));

    private final Random random;

    TraceGenerator(Random random) {
        this.random = random;
    }

    /** Returns {@code perScenario} traces of each scenario, scenario after scenario. */
    List<Trace> traces(int perScenario) {
        List<Trace> traces = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            for (int i = 0; i < perScenario; i++) {
                traces.add(trace(scenario));
            }
        }
        return traces;
    }

    /** Returns one trace of {@code scenario}. */
    Trace trace(Scenario scenario) {
        return switch (scenario) {
            case APPLE_MAIL -> appleMail();
            case GMAIL -> gmail();
            case SCANNED_BY_GATEWAY -> scannedByGateway();
            case PHONE -> phone();
            case DESKTOP -> desktop();
        };
    }

    /**
     * A reader on Apple Mail with Mail Privacy Protection on. Each of the reader's devices (one,
     * sometimes two or three: an assumption) downloads every image of the message through Apple's
     * proxy as soon as it has fetched the message: at once with push, at the next scheduled fetch
     * (every 15 or 30 minutes) without it, and hours later for a device that was off (one in 20: an
     * assumption). Reading the mail then fetches nothing, as the image is cached; a quarter of the
     * readers (an assumption) click a link, in Safari, from the phone's network or through Private
     * Relay.
     */
    private Trace appleMail() {
        Trace.Builder trace = Trace.of(Scenario.APPLE_MAIL, mailLinks());
        long delivered = delivery();
        int devices = 1 + (chance(0.25) ? 1 : 0) + (chance(0.05) ? 1 : 0);
        for (int i = 0; i < devices; i++) {
            TraceClient proxy = new TraceClient(APPLE_PROXY_AGENT, address(PRIVATE_RELAY));
            trace.open(Actor.APPLE_PREFETCH, delivered + appleFetchDelay(), proxy);
        }

        if (chance(0.25)) {
            String network = address(chance(0.3) ? PRIVATE_RELAY : CARRIERS);
            TraceClient safari = new TraceClient(iPhoneSafari(), network);
            clickLinks(trace, Actor.PHONE, delivered + reading(), safari, chance(0.8) ? 1 : 2);
        }
        return trace.build();
    }

    /**
     * A reader on Gmail. When the reader opens the mail, Google's image proxy fetches the pixel for
     * them and caches it; a later opening shows again only when the cache let go of it, or when the
     * reader opens the mail in another client that fetches images itself (six in ten read it again:
     * an assumption). A third click a link, in the browser of the device they read on.
     */
    private Trace gmail() {
        Trace.Builder trace = Trace.of(Scenario.GMAIL, mailLinks());
        long read = delivery() + reading();
        trace.open(Actor.GMAIL_PROXY, read, gmailProxy());

        if (chance(0.6)) {
            long again = read + logNormal(6 * HOUR, 1.0, 10 * MINUTE, 5 * DAY);
            if (chance(0.5)) {
                trace.open(Actor.GMAIL_PROXY, again, gmailProxy());
            } else {
                trace.open(Actor.PHONE, again, phoneMailClient());
            }
        }

        if (chance(0.3)) {
            boolean onPhone = chance(0.4);
            TraceClient browser = onPhone ? phoneBrowser() : desktopBrowser(address(BROADBAND));
            Actor actor = onPhone ? Actor.PHONE : Actor.DESKTOP;
            clickLinks(trace, actor, read + pointing(), browser, chance(0.8) ? 1 : 2);
        }
        return trace.build();
    }

    /**
     * A mail to a company behind a security gateway. After delivery the gateway follows every link
     * of the mail, with a browser's user agent, from one address or several of its block: within
     * seconds, or tens of seconds to minutes later; milliseconds or about a second apart. Three in
     * ten (an assumption) also fetch the pixel, as a sandboxed browser rendering the mail does.
     * Later the recipient reads the mail on the desktop, the client fetching the pixel unless the
     * company blocks images, and clicks a link.
     */
    private Trace scannedByGateway() {
        Trace.Builder trace = Trace.of(Scenario.SCANNED_BY_GATEWAY, mailLinks());
        long delivered = delivery();
        List<String> links = shuffled(trace.links());
        Gateway gateway = gateway();
        String agent = desktopBrowserAgent();
        boolean oneAddress = chance(0.5);
        TraceClient scanner = new TraceClient(agent, address(gateway.ranges()));
        long at = delivered + scanDelay();
        if (chance(0.3)) {
            trace.open(Actor.LINK_SCANNER, at, scanner);
            at += burstGap();
        }
        for (String link : links) {
            trace.click(Actor.LINK_SCANNER, at, link, scanner);
            at += burstGap();
            scanner = oneAddress ? scanner : new TraceClient(agent, address(gateway.ranges()));
        }

        long read = delivered + reading();
        TraceClient reader = desktopMailClient();
        if (chance(0.7)) {
            trace.open(Actor.DESKTOP, read, reader);
        }
        TraceClient browser = desktopBrowser(reader.ipAddress());
        clickLinks(trace, Actor.DESKTOP, read + pointing(), browser, chance(0.8) ? 1 : 2);
        return trace.build();
    }

    /**
     * A person reading on a phone's mail app that fetches images itself, opening the mail once and
     * up to twice again later, on the carrier's network or at home. Four in ten click one or two
     * links, which open in the phone's browser.
     */
    private Trace phone() {
        Trace.Builder trace = Trace.of(Scenario.PHONE, mailLinks());
        TraceClient app = phoneMailClient();
        long opened = delivery() + reading();
        trace.open(Actor.PHONE, opened, app);
        long last = opened;
        for (int i = random.nextInt(3); i > 0; i--) {
            last += logNormal(3 * HOUR, 1.0, MINUTE, 3 * DAY);
            trace.open(Actor.PHONE, last, new TraceClient(app.userAgent(), phoneAddress()));
        }

        if (chance(0.4)) {
            TraceClient browser = new TraceClient(phoneBrowserLike(app), app.ipAddress());
            clickLinks(trace, Actor.PHONE, opened + pointing(), browser, chance(0.75) ? 1 : 2);
        }
        return trace.build();
    }

    /**
     * A person on a desktop mail client (Outlook, Thunderbird, Apple Mail without privacy
     * protection) or webmail in a browser, which fetches the pixel each time the mail is shown.
     * Some 45 in 100 click a link or two; 3 in 100 (an assumption) open three or four links in
     * tabs, a second or two apart.
     */
    private Trace desktop() {
        Trace.Builder trace = Trace.of(Scenario.DESKTOP, mailLinks());
        TraceClient client = desktopMailClient();
        long opened = delivery() + reading();
        long shown = opened;
        for (int views = 1 + random.nextInt(4); views > 0; views--) {
            trace.open(Actor.DESKTOP, shown, client);
            shown += logNormal(2 * HOUR, 1.2, 20 * SECOND, 2 * DAY);
        }

        TraceClient browser = desktopBrowser(client.ipAddress());
        double clicking = random.nextDouble();
        if (clicking < 0.03) {
            openInTabs(trace, opened + pointing(), browser, 3 + random.nextInt(2));
        } else if (clicking < 0.45) {
            clickLinks(trace, Actor.DESKTOP, opened + pointing(), browser, chance(0.8) ? 1 : 2);
        }
        return trace.build();
    }

    /**
     * Clicks {@code count} distinct links of the mail, the first at {@code at}, then a while apart.
     */
    private void clickLinks(
            Trace.Builder trace, Actor actor, long at, TraceClient client, int count) {
        List<String> links = shuffled(trace.links());
        long clicked = at;
        for (int i = 0; i < Math.min(count, links.size()); i++) {
            trace.click(actor, clicked, links.get(i), client);
            clicked += between(10 * SECOND, 5 * MINUTE);
        }
    }

    /** A person opening several links in new tabs, a second or two apart. */
    private void openInTabs(Trace.Builder trace, long at, TraceClient browser, int count) {
        long clicked = at;
        List<String> links = shuffled(trace.links());
        for (String link : links.subList(0, Math.min(count, links.size()))) {
            trace.click(Actor.DESKTOP, clicked, link, browser);
            clicked += between(800, 2 * SECOND);
        }
    }

    /** How long after sending the mail reaches the recipient's mailbox. */
    private long delivery() {
        return between(SECOND, 20 * SECOND);
    }

    /**
     * How long after delivery a person opens the mail: one in ten at once, on a notification (an
     * assumption); the others after a delay around an hour and a half, spread over days.
     */
    private long reading() {
        if (chance(0.1)) {
            return between(15 * SECOND, 3 * MINUTE);
        }
        return logNormal(90 * MINUTE, 1.5, 30 * SECOND, 3 * DAY);
    }

    /** How long a person reads before clicking a link. */
    private long pointing() {
        return logNormal(20 * SECOND, 0.8, 3 * SECOND, 10 * MINUTE);
    }

    private long appleFetchDelay() {
        double device = random.nextDouble();
        if (device < 0.70) {
            return between(0, MINUTE);
        }
        return device < 0.95 ? between(0, 30 * MINUTE) : between(HOUR, DAY);
    }

    private long scanDelay() {
        double scan = random.nextDouble();
        if (scan < 0.6) {
            return between(0, 3 * SECOND);
        }
        return scan < 0.9 ? between(3 * SECOND, MINUTE) : between(MINUTE, 10 * MINUTE);
    }

    private long burstGap() {
        return chance(0.5) ? between(5, 300) : between(500, 1_500);
    }

    private Gateway gateway() {
        double draw = random.nextDouble();
        for (Gateway gateway : GATEWAYS) {
            draw -= gateway.share();
            if (draw < 0) {
                return gateway;
            }
        }
        return GATEWAYS.get(GATEWAYS.size() - 1);
    }

    private TraceClient gmailProxy() {
        return new TraceClient(GMAIL_PROXY_AGENT, address(GOOGLE));
    }

    private TraceClient phoneMailClient() {
        if (chance(0.5)) {
            return new TraceClient(
                    "Mozilla/5.0 (iPhone; CPU iPhone OS "
                            + iosVersion()
                            + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                            + " Mobile/15E148",
                    phoneAddress());
        }
        return new TraceClient(
                "Mozilla/5.0 (Linux; Android "
                        + (12 + random.nextInt(3))
                        + "; "
                        + pick(List.of("SM-S921B", "Pixel 8", "SM-A546B", "moto g84 5G"))
                        + "; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/"
                        + (118 + random.nextInt(6))
                        + ".0.6312."
                        + random.nextInt(120)
                        + " Mobile Safari/537.36",
                phoneAddress());
    }

    private TraceClient phoneBrowser() {
        TraceClient app = phoneMailClient();
        return new TraceClient(phoneBrowserLike(app), app.ipAddress());
    }

    /** The browser of the phone whose mail app is {@code app}. */
    private String phoneBrowserLike(TraceClient app) {
        if (app.userAgent().contains("iPhone")) {
            return iPhoneSafari();
        }
        if (chance(0.3)) {
            return "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML,"
                    + " like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36";
        }
        return "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                + (118 + random.nextInt(6))
                + ".0.0.0 Mobile Safari/537.36";
    }

    private String iPhoneSafari() {
        String version = iosVersion();
        return "Mozilla/5.0 (iPhone; CPU iPhone OS "
                + version
                + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/"
                + version.replace('_', '.')
                + " Mobile/15E148 Safari/604.1";
    }

    private String iosVersion() {
        return (16 + random.nextInt(2)) + "_" + random.nextInt(7);
    }

    private String phoneAddress() {
        return address(chance(0.6) ? CARRIERS : BROADBAND);
    }

    private TraceClient desktopMailClient() {
        String address = address(BROADBAND);
        double client = random.nextDouble();
        if (client < 0.35) {
            return new TraceClient(
                    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0."
                            + (16000 + random.nextInt(1500))
                            + "; Pro)",
                    address);
        }
        if (client < 0.45) {
            return new TraceClient("Mozilla/4.0 (compatible; ms-office; MSOffice 16)", address);
        }
        if (client < 0.55) {
            return new TraceClient(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101"
                            + " Thunderbird/115."
                            + random.nextInt(12)
                            + ".0",
                    address);
        }
        if (client < 0.70) {
            return new TraceClient(
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML,"
                            + " like Gecko)",
                    address);
        }
        return new TraceClient(desktopBrowserAgent(), address);
    }

    private TraceClient desktopBrowser(String address) {
        return new TraceClient(desktopBrowserAgent(), address);
    }

    private String desktopBrowserAgent() {
        int version = 118 + random.nextInt(7);
        double browser = random.nextDouble();
        String chrome =
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                        + " Chrome/"
                        + version
                        + ".0.0.0 Safari/537.36";
        if (browser < 0.55) {
            return chrome;
        }
        if (browser < 0.75) {
            return chrome + " Edg/" + version + ".0.0.0";
        }
        if (browser < 0.90) {
            return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:"
                    + version
                    + ".0) Gecko/20100101 Firefox/"
                    + version
                    + ".0";
        }
        return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like"
                + " Gecko) Version/17.4 Safari/605.1.15";
    }

    /** The links of one mail: the first one to eight. */
    private List<String> mailLinks() {
        return LINKS.subList(0, 1 + random.nextInt(LINKS.size()));
    }

    private <T> List<T> shuffled(List<T> items) {
        List<T> copy = new ArrayList<>(items);
        Collections.shuffle(copy, random);
        return copy;
    }

    private String address(List<String> ranges) {
        return RandomAddresses.in(ranges, random);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    private long between(long fromMillis, long toMillis) {
        return fromMillis + (long) (random.nextDouble() * (toMillis - fromMillis));
    }

    /** A draw spread log-normally around {@code medianMillis}, kept within the bounds. */
    private long logNormal(long medianMillis, double spread, long minMillis, long maxMillis) {
        double draw = medianMillis * Math.exp(spread * random.nextGaussian());
        return Math.max(minMillis, Math.min(maxMillis, (long) draw));
    }

    /**
     * A security gateway.
     *
     * @param share the part of scanned mail it handles
     * @param ranges the blocks it scans from
     */
    private record Gateway(double share, List<String> ranges) {}
}
