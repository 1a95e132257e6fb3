package io.noos.streams.kafka.broker;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One SASL/PLAIN user of the in-process broker: the broker's {@code SASL_PLAINTEXT} listener
 * accepts exactly this user name and password, and {@link #clientProperties()} are the Kafka client
 * settings that log in with them (the same keys any Kafka client, the service included, takes from
 * its configuration).
 *
 * <p>PLAIN sends the password in the clear: over a network, use {@code SASL_SSL} instead of
 * {@code SASL_PLAINTEXT} (the in-process broker listens on loopback only).
 */
public record SaslPlain(String user, String password) {
    public static final String MECHANISM = "PLAIN";
    public static final String PROTOCOL = "SASL_PLAINTEXT";
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    /** The user name becomes part of an option name ({@code user_<name>}) in the broker's JAAS config. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]+");

    public SaslPlain {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("a SASL/PLAIN user name here is letters, digits, '.', '_' or '-'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the SASL/PLAIN password must not be empty");
        }
    }

    /** {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} of a client logging in as this user. */
    public Map<String, String> clientProperties() {
        return Map.of("security.protocol", PROTOCOL,
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", clientJaasConfig());
    }

    /** The client's {@code sasl.jaas.config}. */
    public String clientJaasConfig() {
        return LOGIN_MODULE + " required username=\"" + quote(user) + "\" password=\"" + quote(password) + "\";";
    }

    /**
     * The broker listener's JAAS config: the credentials the broker uses to reach its own listener,
     * and the one user it accepts.
     */
    String brokerJaasConfig() {
        return LOGIN_MODULE + " required username=\"" + quote(user) + "\" password=\"" + quote(password) + "\" user_"
                + user + "=\"" + quote(password) + "\";";
    }

    /** Escapes for a double-quoted JAAS option value (Kafka parses it with a {@code StreamTokenizer}). */
    private static String quote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The password stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "SaslPlain[user=" + user + ", password=[redacted]]";
    }
}
