package io.noos.streams.kafka.http;

/** The state stores the HTTP API reads, by the names the topology gives them. */
public final class StoreNames {
    /** Each user's regulator state ({@code KeyValueStore<String, UserState>}), keyed by user id. */
    public static final String USER_STATE = "regulator-state";
    /** Each user's latest decision record as JSON bytes ({@code KeyValueStore<String, byte[]>}), keyed by user id. */
    public static final String LATEST_DECISION = "regulator-latest-decision";
    /**
     * Fleet statistics per time window ({@code KeyValueStore<String, byte[]>}), keyed
     * {@code <agent>@<window start ms, 13 digits>}, {@code *} as the agent for the whole fleet.
     */
    public static final String FLEET_STATS = "regulator-fleet-stats-store";

    private StoreNames() {}
}
