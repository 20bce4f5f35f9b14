package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The standalone server's log levels: Jetty's and HikariCP's warnings stay on, but for those that
 * quote, as they refuse a malformed request, text the client chose, which anyone could fill the log
 * with, and the pool's warnings per broken connection, which the store's own warnings sum up.
 */
class LoggingSetupTest {

    @Test
    void loggersQuotingClients_warnNot_butLogErrors() {
        assertKeptToErrors("org.eclipse.jetty.util.HostPort", "org.eclipse.jetty.http.HttpParser");
    }

    @Test
    void poolsWarningsPerBrokenConnection_areKeptToErrors() {
        assertKeptToErrors(
                "com.zaxxer.hikari.pool.ProxyConnection", "com.zaxxer.hikari.pool.PoolBase");
        assertThat(LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").isWarnEnabled())
                .isTrue();
    }

    @Test
    void jettysOtherLoggers_andTheTrackersOwn_stillWarn() {
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled())
                .isTrue();
        assertThat(LoggerFactory.getLogger(StandaloneServer.class).isInfoEnabled()).isTrue();
    }

    private static void assertKeptToErrors(String... names) {
        for (String name : names) {
            var logger = LoggerFactory.getLogger(name);

            assertThat(logger.isWarnEnabled()).as(name).isFalse();
            assertThat(logger.isErrorEnabled()).as(name).isTrue();
        }
    }
}
