/**
 * What a replay found, for engineers tuning thresholds: {@link io.noos.streams.replay.report.ReplayStats}
 * counts a replay's decision records per kind, reason, turn and user, and each turn's drift score
 * (learned by {@link io.noos.streams.replay.report.DriftProbe}, whatever the threshold); the
 * {@link io.noos.streams.replay.report.ReplayReport} it makes is written as text
 * ({@link io.noos.streams.replay.report.ReportText}), JSON ({@link io.noos.streams.replay.report.ReportJson})
 * or a self-contained HTML page ({@link io.noos.streams.replay.report.HtmlReport}).
 * {@link io.noos.streams.replay.report.SummarizedReplay} runs a replay with all of this and a progress
 * indicator ({@link io.noos.streams.replay.report.ReplayProgress}); {@code replay} is a thin command
 * around it.
 */
package io.noos.streams.replay.report;
