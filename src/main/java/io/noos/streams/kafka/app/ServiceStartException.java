package io.noos.streams.kafka.app;

/**
 * The service could not start for a reason an operator can fix (the cluster did not answer within
 * {@code noos.startup.timeout.ms}, the credentials were refused, a topic could not be created or
 * got no leaders): the message is one line that names the address, topic or setting; the CLI prints
 * it as {@code error: <message>} and exits with status 1.
 */
public final class ServiceStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServiceStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
