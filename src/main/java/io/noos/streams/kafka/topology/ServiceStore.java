package io.noos.streams.kafka.topology;

/**
 * The topology's state stores, each named once; the topology, the HTTP queries and the docs' test
 * read them from here. Keys and values are {@code String} → {@code byte[]} unless said otherwise.
 */
public enum ServiceStore {
    /**
     * User id → the user's whole state ({@code UserState}, binary). The one store whose name can be
     * set ({@link TopologySettings#userStateStore()}); this is its default.
     */
    USER_STATE("regulator-state"),
    /** User id → the JSON of the user's latest decision record (as {@code DecisionRecordJson.toBytes} gives it). */
    LATEST_DECISION("regulator-latest-decision"),
    /** Phase 1: this task's partial counts per {@code <agent>@<window>} (binary). */
    FLEET_PARTIALS("regulator-fleet-stats-partials"),
    /** Phase 1: each user's output tokens per window and scope ({@code Long}), for the top users and the spend histogram. */
    FLEET_USER_TOKENS("regulator-fleet-stats-user-tokens"),
    /** Phase 2: every task's latest partial per {@code <agent>@<window>} (binary). */
    FLEET_MERGE("regulator-fleet-stats-merge"),
    /** {@code <agent>@<window start, 13 digits>} (agent {@code *} = fleet) → the merged window's JSON. */
    FLEET_STATS("regulator-fleet-stats-store"),
    /** Global: the policies topic, key → the policy's canonical JSON (valid entries only). */
    POLICIES("regulator-policies-store"),
    /** Global: the fleet-stats topic's fleet-scope windows the spend book keeps, key → the window's JSON. */
    FLEET_SPEND("regulator-fleet-spend-store"),
    /** {@code <currency>/<window_ms>/<agent>} → the agent's total in its rolling window (binary slots), counted from all its users' amounts. */
    AGENT_SPEND_TOTALS("regulator-agent-spend-totals"),
    /** Global: the agent-spend topic, the same keys and values, read into the agent spend book of every instance. */
    AGENT_SPEND("regulator-agent-spend-store");

    private final String storeName;

    ServiceStore(String storeName) {
        this.storeName = storeName;
    }

    public String storeName() {
        return storeName;
    }
}
