package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The standalone server's log levels: Jetty's and HikariCP's warnings stay on, but for those that
 * quote, as they refuse a malformed request, text the client chose, which anyone could fill the log
 * with, and the pool's warning per broken connection, which the store's own warnings sum up.
 */
class LoggingSetupTest {

    @Test
    void loggersQuotingClients_warnNot_butLogErrors() {
        for (String quotingClients :
                new String[] {
                    "org.eclipse.jetty.util.HostPort", "org.eclipse.jetty.http.HttpParser"
                }) {
            var logger = LoggerFactory.getLogger(quotingClients);

            assertThat(logger.isWarnEnabled()).as(quotingClients).isFalse();
            assertThat(logger.isErrorEnabled()).as(quotingClients).isTrue();
        }
    }

    @Test
    void poolsWarningPerBrokenConnection_isKeptToErrors() {
        var logger = LoggerFactory.getLogger("com.zaxxer.hikari.pool.ProxyConnection");

        assertThat(logger.isWarnEnabled()).isFalse();
        assertThat(logger.isErrorEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").isWarnEnabled())
                .isTrue();
    }

    @Test
    void jettysOtherLoggers_andTheTrackersOwn_stillWarn() {
        assertThat(LoggerFactory.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled())
                .isTrue();
        assertThat(LoggerFactory.getLogger(StandaloneServer.class).isInfoEnabled()).isTrue();
    }
}
