package io.noos.streams.avro;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.RegulatorDecision;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Tells Avro to trust the generated record classes of {@code schemas/*.avsc}.
 *
 * <p>Avro 1.12.2 refuses to load a class it has not been told to trust when it decodes into
 * generated classes ({@code SecurityException: Forbidden io.noos...! This class is not trusted},
 * apache/avro#3693, AVRO-4189). Rather than asking every deployment for
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}, the codec trusts exactly its own classes: every
 * named type reachable from the two top-level schemas, nested ones included (union branches,
 * array items). The list is derived from the compiled schemas, so a record added to a schema is
 * trusted without touching this class.
 *
 * <p>The global validator becomes a composite of the one in place before (by default Avro's own,
 * which still honours the system properties) and this list, so trust granted elsewhere is kept.
 * Code that later calls {@link ClassSecurityValidator#setGlobal} should compose with
 * {@link ClassSecurityValidator#getGlobal()} too, or decoding will fail again. The work is done
 * once, in this class's static initialiser; {@link AvroCodec} triggers it from its own.
 */
final class AvroClassTrust {
    private static final Set<String> TRUSTED = recordNames(AgentEventEnvelope.getClassSchema(),
            RegulatorDecision.getClassSchema());
    private static final ClassSecurityPredicate OURS = build(TRUSTED);

    static {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), OURS));
    }

    private AvroClassTrust() {}

    /** Makes sure the trust is in place (class initialisation did the work). */
    static void install() {
        // Calling any static method initialises the class; nothing else to do.
    }

    /** The predicate added to the global validator: exactly the generated classes. */
    static ClassSecurityPredicate predicate() {
        return OURS;
    }

    /** The full names of the trusted classes, sorted. */
    static Set<String> trustedClassNames() {
        return new TreeSet<>(TRUSTED);
    }

    /** Full names of every named type (record, enum, fixed) reachable from {@code roots}. */
    static Set<String> recordNames(Schema... roots) {
        Set<String> names = new TreeSet<>();
        Deque<Schema> todo = new ArrayDeque<>(List.of(roots));
        while (!todo.isEmpty()) {
            Schema s = todo.pop();
            switch (s.getType()) {
                case RECORD -> {
                    if (names.add(s.getFullName())) {
                        s.getFields().forEach(f -> todo.push(f.schema()));
                    }
                }
                case ENUM, FIXED -> names.add(s.getFullName());
                case ARRAY -> todo.push(s.getElementType());
                case MAP -> todo.push(s.getValueType());
                case UNION -> s.getTypes().forEach(todo::push);
                default -> { }
            }
        }
        return names;
    }

    private static ClassSecurityPredicate build(Set<String> names) {
        ClassSecurityValidator.Builder builder = ClassSecurityValidator.builder();
        names.forEach(builder::add);
        return builder.build();
    }
}
