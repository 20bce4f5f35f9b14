package io.github.emailtracking.core;

import io.github.emailtracking.api.SettableClock;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Sends HTML mail through a real tracker over the memory store, as a mailer would: finds the links
 * of the body, registers the email with them, then instruments the body with its click URLs.
 */
final class InstrumentingMailer {

    static final String BASE = "https://track.example.com/api/track";

    private static final Viewer SENDER = Viewer.owner("alice");

    private final EmailTracker tracker =
            EmailTracker.builder()
                    .store(new MemoryTrackingStore())
                    .publicBaseUrl(BASE)
                    .clock(new SettableClock(Instant.parse("2026-02-10T09:00:00Z")))
                    .idGenerator(new CountingIds())
                    .build();
    private final HtmlInstrumenter instrumenter = new HtmlInstrumenter(BASE);
    private final String campaignId = tracker.createCampaign("alice", "Corpus").id().value();

    /** A body as the sender wrote it and as it went out. */
    record SentMail(String source, RegisteredEmail email, InstrumentedHtml instrumented) {}

    SentMail send(String html) {
        List<String> links = instrumenter.instrument(html, link -> link, BASE + "/open/x").links();
        RegisteredEmail email =
                tracker.registerEmail(SENDER, campaignId, NewEmail.to("reader@example.com", links));

        InstrumentedHtml instrumented =
                instrumenter.instrument(html, email.clickUrls()::get, email.openUrl());
        return new SentMail(html, email, instrumented);
    }

    /** Returns the {@code Location} that the click route answers for {@code click}. */
    String follow(ClickUrl click) {
        return tracker.resolveClick(click.trackingId(), click.redirect(), click.signature());
    }

    /** Returns a mail of the corpus in {@code src/test/resources/html}. */
    static String corpusMail(String name) {
        try (InputStream in = InstrumentingMailer.class.getResourceAsStream("/html/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus mail " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
