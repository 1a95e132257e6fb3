package io.noos.streams.cli;

/**
 * A command could not do its job for a reason the user can fix (a file, an address, a port): the
 * message says what and is printed as {@code error: <message>}, without a stack trace; exit status 1.
 */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message, null, false, false);
    }
}
