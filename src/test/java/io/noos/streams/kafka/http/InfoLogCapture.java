package io.noos.streams.kafka.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Records every log event at INFO or above from every logger, the service's and Kafka's, while
 * open: the levels of all configured loggers are lowered to INFO (raised for those below) and put
 * back on close. Stricter than the shipped configuration, which keeps Kafka at WARN. The existing
 * appenders keep printing only what the shipped configuration lets through.
 */
final class InfoLogCapture implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> levels = new HashMap<>();
    private final Map<String, Level> levelsByName = new HashMap<>();
    private final Map<Appender<ILoggingEvent>, List<Filter<ILoggingEvent>>> filters = new HashMap<>();

    InfoLogCapture() {
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger, logger.getLevel());
                levelsByName.put(logger.getName(), logger.getLevel());
            }
        }
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> existing = it.next();
            filters.put(existing, existing.getCopyOfAttachedFiltersList());
            existing.addFilter(new Filter<>() {
                @Override
                public FilterReply decide(ILoggingEvent event) {
                    return event.getLevel().isGreaterOrEqual(configuredLevel(event.getLoggerName()))
                            ? FilterReply.NEUTRAL : FilterReply.DENY;
                }
            });
        }
        levels.keySet().forEach(logger -> logger.setLevel(Level.INFO));
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    /** Every event so far, rendered: message with its arguments, and every throwable's class and message. */
    List<String> rendered() {
        List<String> out = new ArrayList<>();
        synchronized (appender) { // AppenderBase.doAppend holds this lock while adding
            for (ILoggingEvent e : new ArrayList<>(appender.list)) {
                StringBuilder line = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                out.add(line.toString());
            }
        }
        return out;
    }

    /** The level the shipped configuration gives a logger: its own or its nearest ancestor's. */
    private Level configuredLevel(String name) {
        for (String n = name; ; n = n.substring(0, n.lastIndexOf('.'))) {
            Level level = levelsByName.get(n);
            if (level != null) {
                return level;
            }
            if (n.lastIndexOf('.') < 0) {
                return levelsByName.getOrDefault(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
            }
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        levels.forEach(Logger::setLevel);
        filters.forEach((existing, original) -> {
            existing.clearAllFilters();
            original.forEach(existing::addFilter);
        });
    }
}
