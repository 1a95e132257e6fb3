package io.noos.streams.otel.ingest;

import java.util.List;
import java.util.Objects;

/**
 * How spans are turned into envelopes.
 *
 * @param userAttributes             attribute names that hold the user id, in precedence order; each level
 *                                   (the span, then its resource, then the other spans of its trace) is
 *                                   searched for them in this order before the next level is tried. A
 *                                   value must be a non-empty string or an integer.
 * @param defaultUser                user for spans whose user is found nowhere, or null to skip those spans
 *                                   (they are counted as {@link IngestIssue#SPAN_WITHOUT_USER} either way)
 * @param emptyTurnStartWithoutInput when true, a turn whose model calls carry no user message at all
 *                                   (content capture off) still starts with an empty {@code turn_start},
 *                                   so that per-turn tool history resets; when false (the default) such a
 *                                   turn has no {@code turn_start}
 * @param conversationAttributes     attribute names that hold the conversation id, in precedence order
 *                                   (default {@code gen_ai.conversation.id}); looked up like the user
 * @param sessionPerTrace            when true, spans without a conversation id form one conversation (and
 *                                   session) per trace, as before conversations were known; when false (the
 *                                   default) they continue their user's conversation, without a session id
 */
public record IngestOptions(List<String> userAttributes, String defaultUser, boolean emptyTurnStartWithoutInput,
                            List<String> conversationAttributes, boolean sessionPerTrace) {

    /** {@code user.id}, then {@code enduser.id}. */
    public static final List<String> DEFAULT_USER_ATTRIBUTES = List.of("user.id", "enduser.id");

    /** {@code gen_ai.conversation.id}. */
    public static final List<String> DEFAULT_CONVERSATION_ATTRIBUTES = List.of("gen_ai.conversation.id");

    public IngestOptions {
        userAttributes = List.copyOf(userAttributes);
        conversationAttributes = List.copyOf(conversationAttributes);
        if (userAttributes.isEmpty()) {
            throw new IllegalArgumentException("at least one user attribute is required");
        }
        if (conversationAttributes.isEmpty()) {
            throw new IllegalArgumentException("at least one conversation attribute is required");
        }
        if (defaultUser != null && defaultUser.isEmpty()) {
            throw new IllegalArgumentException("the default user must not be empty (use null to skip)");
        }
    }

    /**
     * User from {@code user.id} or {@code enduser.id}; spans without a user skipped; no empty turn
     * starts; conversation from {@code gen_ai.conversation.id}; no session per trace.
     */
    public static IngestOptions defaults() {
        return new IngestOptions(DEFAULT_USER_ATTRIBUTES, null, false, DEFAULT_CONVERSATION_ATTRIBUTES, false);
    }

    /** The same options with only {@code attribute} holding the user id. */
    public IngestOptions withUserAttribute(String attribute) {
        return withUserAttributes(List.of(Objects.requireNonNull(attribute, "attribute")));
    }

    /** The same options with these user attributes, in precedence order. */
    public IngestOptions withUserAttributes(List<String> attributes) {
        return new IngestOptions(attributes, defaultUser, emptyTurnStartWithoutInput, conversationAttributes,
                sessionPerTrace);
    }

    /** The same options with spans without a user given to {@code user} (null: skip them). */
    public IngestOptions withDefaultUser(String user) {
        return new IngestOptions(userAttributes, user, emptyTurnStartWithoutInput, conversationAttributes,
                sessionPerTrace);
    }

    /** The same options with empty turn starts for turns without any user message on or off. */
    public IngestOptions withEmptyTurnStartWithoutInput(boolean on) {
        return new IngestOptions(userAttributes, defaultUser, on, conversationAttributes, sessionPerTrace);
    }

    /** The same options with these conversation attributes, in precedence order. */
    public IngestOptions withConversationAttributes(List<String> attributes) {
        return new IngestOptions(userAttributes, defaultUser, emptyTurnStartWithoutInput, attributes,
                sessionPerTrace);
    }

    /** The same options with one session per trace for spans without a conversation id on or off. */
    public IngestOptions withSessionPerTrace(boolean on) {
        return new IngestOptions(userAttributes, defaultUser, emptyTurnStartWithoutInput, conversationAttributes, on);
    }
}
