package io.noos.streams.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops one known message of one logger, whatever its level: in {@code logback.xml},
 * {@code <turboFilter class="io.noos.streams.logging.SilenceMessage"><logger>L</logger>
 * <messageContains>TEXT</messageContains></turboFilter>}. The message is matched on its template
 * (before arguments are filled in; Kafka's log-context prefix comes first), so the logger's other
 * messages, at any level, still reach the log: narrower than raising the logger's level.
 */
public final class SilenceMessage extends TurboFilter {
    private String logger;
    private String messageContains;

    public void setLogger(String logger) {
        this.logger = logger;
    }

    public void setMessageContains(String messageContains) {
        this.messageContains = messageContains;
    }

    @Override
    public void start() {
        if (logger == null || logger.isBlank() || messageContains == null || messageContains.isBlank()) {
            addError("SilenceMessage needs <logger> and <messageContains>");
            return;
        }
        super.start();
    }

    @Override
    public FilterReply decide(Marker marker, Logger from, Level level, String format, Object[] params, Throwable t) {
        return isStarted() && format != null && logger.equals(from.getName()) && format.contains(messageContains)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
