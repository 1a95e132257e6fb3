package io.noos.streams.cli;

import io.noos.streams.logfile.UnreadableInputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * File arguments checked before a command starts, so a wrong path is one line naming the option
 * and what is wrong with it (status 2) instead of a failure half-way; and file errors met later
 * worded for people.
 */
final class CliFiles {
    private CliFiles() {}

    /** {@code path}, given as {@code option}, must be a readable regular file (or a pipe). */
    static void requireInputFile(CommandLine.Model.CommandSpec spec, String option, Path path) {
        String problem = inputFileProblem(path);
        if (problem != null) {
            throw refused(spec, option, path, problem);
        }
    }

    /** What keeps {@code path} from being read as a file, or null when nothing does. */
    static String inputFileProblem(Path path) {
        if (!Files.exists(path)) {
            return "no such file";
        }
        if (Files.isDirectory(path)) {
            return "is a directory, not a file";
        }
        if (!Files.isReadable(path)) {
            return "no permission to read it";
        }
        return null;
    }

    /**
     * {@code path}, given as {@code option}, must be a file this process can create or overwrite:
     * not a directory, and its nearest existing parent a directory it may write in (missing
     * parents are created when the file is written). Nothing is created here.
     */
    static void requireOutputFile(CommandLine.Model.CommandSpec spec, String option, Path path) {
        if (path == null) {
            return;
        }
        if (Files.isDirectory(path)) {
            throw refused(spec, option, path, "is a directory; give the path of a file");
        }
        if (Files.exists(path)) {
            if (!Files.isWritable(path)) {
                throw refused(spec, option, path, "no permission to overwrite it");
            }
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            return;
        }
        if (!Files.isDirectory(parent)) {
            throw refused(spec, option, path, "cannot be created: " + parent + " is not a directory");
        }
        if (!Files.isWritable(parent)) {
            throw refused(spec, option, path, "cannot be created: no permission to write in " + parent);
        }
    }

    private static CommandLine.ParameterException refused(CommandLine.Model.CommandSpec spec, String option, Path path,
                                                          String problem) {
        return new CommandLine.ParameterException(spec.commandLine(), option + " " + path + ": " + problem);
    }

    /** A file error as one line for people: the file and what is wrong, without exception names. */
    static String describe(IOException e) {
        if (e instanceof UnreadableInputException) {
            return e.getMessage();
        }
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            String problem;
            if (e instanceof NoSuchFileException) {
                problem = "no such file or directory";
            } else if (e instanceof AccessDeniedException) {
                problem = "permission denied";
            } else if (e instanceof FileAlreadyExistsException) {
                problem = "exists, and is not a directory";
            } else if (e instanceof NotDirectoryException) {
                problem = "not a directory";
            } else {
                problem = fs.getReason() != null ? fs.getReason() : "cannot be used";
            }
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + problem;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
