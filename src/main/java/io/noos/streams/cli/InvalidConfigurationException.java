package io.noos.streams.cli;

/** A configuration value the service refuses; the command prints the message and exits with status 2. */
final class InvalidConfigurationException extends RuntimeException {
    InvalidConfigurationException(String message) {
        super(message);
    }
}
