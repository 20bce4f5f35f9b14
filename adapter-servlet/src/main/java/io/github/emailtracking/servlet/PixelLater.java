package io.github.emailtracking.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers an open with the pixel once its store has answered, on a container thread: the store's
 * own thread only hands the answer over, so a client that reads slowly never holds it up. Should
 * the container's asynchronous timeout come first, or the container end the request with an error
 * (as when it stops), the pixel is sent then, as the open route never fails.
 */
final class PixelLater implements AsyncListener, Runnable {

    private final Exchange exchange;
    private final AsyncContext context;
    private final AtomicBoolean answered = new AtomicBoolean();

    private PixelLater(Exchange exchange, AsyncContext context) {
        this.exchange = exchange;
        this.context = context;
    }

    /** Puts the request in asynchronous mode and answers it when {@code recorded} completes. */
    static void answer(Exchange exchange, CompletionStage<?> recorded) {
        PixelLater later = new PixelLater(exchange, exchange.request().startAsync());
        later.context.addListener(later);
        recorded.whenComplete((stored, failure) -> later.dispatch());
    }

    /** Sends the pixel and ends the request, once. */
    @Override
    public void run() {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            Pixel.write(exchange.response());
        } catch (IOException e) {
            // The client has gone; there is no one to answer.
        }
        context.complete();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        run();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        answered.set(true);
    }

    @Override
    public void onError(AsyncEvent event) {
        run();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not started again.
    }

    private void dispatch() {
        if (answered.get()) {
            return;
        }
        try {
            context.start(this);
        } catch (IllegalStateException e) {
            // The request ended meanwhile (a timeout or a failed connection); nothing to send.
        } catch (RejectedExecutionException e) {
            // The container is stopping and takes no more work: answer from here.
            run();
        }
    }
}
