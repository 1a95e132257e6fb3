package io.noos.streams.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops known messages, each of one logger, whatever their level: in {@code logback.xml},
 * {@code <turboFilter class="io.noos.streams.logging.SilenceMessages"><message><logger>L</logger>
 * <contains>TEXT</contains></message>...</turboFilter>}. A message is matched on its template
 * (before arguments are filled in; Kafka's log-context prefix comes first), so the logger's other
 * messages, at any level, still reach the log: narrower than raising the logger's level.
 *
 * <p>One filter holds every message because logback asks its turbo filters before every level
 * check ({@code isTraceEnabled()} included, which Kafka calls for each record): with one filter it
 * calls it directly, with more it copies the list on each call (7 % of a stream thread's time
 * with five filters).
 */
public final class SilenceMessages extends TurboFilter {
    private final List<Message> messages = new ArrayList<>();
    private Message[] silenced = new Message[0];

    /** One message to drop: its logger's name and a part of its template. */
    public static final class Message {
        private String logger;
        private String contains;

        public void setLogger(String logger) {
            this.logger = logger;
        }

        public void setContains(String contains) {
            this.contains = contains;
        }
    }

    public void addMessage(Message message) {
        messages.add(message);
    }

    /** How many messages this filter drops. */
    public int silencedCount() {
        return silenced.length;
    }

    @Override
    public void start() {
        for (Message m : messages) {
            if (m.logger == null || m.logger.isBlank() || m.contains == null || m.contains.isBlank()) {
                addError("SilenceMessages: each <message> needs <logger> and <contains>");
                return;
            }
        }
        silenced = messages.toArray(new Message[0]);
        super.start();
    }

    @Override
    public FilterReply decide(Marker marker, Logger from, Level level, String format, Object[] params, Throwable t) {
        if (format == null || !isStarted()) {
            return FilterReply.NEUTRAL;   // a level check, not a message
        }
        for (Message m : silenced) {
            if (m.logger.equals(from.getName()) && format.contains(m.contains)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
