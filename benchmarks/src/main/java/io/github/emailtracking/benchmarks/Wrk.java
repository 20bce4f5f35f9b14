package io.github.emailtracking.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the load generator wrk (Debian's package {@code wrk}) against a URL on this machine, with a
 * Lua script that spreads the requests over the registered tracking ids.
 */
final class Wrk {

    /** What to tell a person when wrk is missing. */
    static final String INSTALL_HINT =
            "wrk is not installed; install it with: sudo apt-get install -y wrk";

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(m?s)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile(
                    "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+(\\S+)$");

    private final int threads;
    private final int connections;

    Wrk(int threads, int connections) {
        this.threads = threads;
        this.connections = connections;
    }

    /** Returns why wrk cannot run, or empty when it can. */
    static Optional<String> unavailable() {
        try {
            Process wrk = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            wrk.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            wrk.waitFor();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(INSTALL_HINT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for wrk");
        }
    }

    /**
     * Writes the Lua script that requests {@code GET {pathPrefix}{id}} over the ids in turn, each
     * wrk thread from a different start; the requests are built once, before the run.
     */
    static Path script(Path folder, String name, String pathPrefix, List<String> trackingIds)
            throws IOException {
        StringBuilder lua = new StringBuilder("local paths = {\n");
        for (String id : trackingIds) {
            lua.append("  \"").append(pathPrefix).append(id).append("\",\n");
        }
        lua.append(
                """
                }
                local requests = {}
                local next = 0
                local started = 0

                function setup(thread)
                  started = started + 1
                  thread:set("offset", started * 331)
                end

                function init(args)
                  for i, path in ipairs(paths) do
                    requests[i] = wrk.format("GET", path)
                  end
                  next = (offset or 0) % #requests
                end

                function request()
                  next = next % #requests + 1
                  return requests[next]
                end
                """);
        Path script = folder.resolve(name + ".lua");
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        return script;
    }

    /** Loads {@code url} for {@code duration} and returns what wrk measured. */
    WrkResult run(String url, Path script, Duration duration) throws IOException {
        Process wrk =
                new ProcessBuilder(
                                "wrk",
                                "--threads",
                                String.valueOf(threads),
                                "--connections",
                                String.valueOf(connections),
                                "--duration",
                                duration.toSeconds() + "s",
                                "--latency",
                                "--script",
                                script.toString(),
                                url)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (wrk.waitFor() != 0) {
                throw new IOException("wrk failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while wrk ran", e);
        }
        return parse(output);
    }

    /**
     * Reads wrk's summary.
     *
     * @throws IOException if the output has no request rate
     */
    static WrkResult parse(String output) throws IOException {
        Matcher rate = RATE.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rate.find() || !total.find()) {
            throw new IOException("wrk printed no request rate:\n" + output);
        }
        Matcher non2xx = NON_2XX.matcher(output);
        Matcher errors = SOCKET_ERRORS.matcher(output);
        long socketErrors = 0;
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        String[] percentiles = {"?", "?"};
        for (String line : output.lines().toList()) {
            Matcher percentile = PERCENTILE.matcher(line);
            if (percentile.matches()) {
                percentiles[percentile.group(1).equals("50") ? 0 : 1] = percentile.group(2);
            }
        }
        return new WrkResult(
                Double.parseDouble(rate.group(1)),
                Long.parseLong(total.group(1)),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                socketErrors,
                percentiles[0],
                percentiles[1]);
    }
}
