/**
 * Aleph's data files, for the command line and for library users alike: CSV
 * ({@link org.aleph.kernel.io.CsvFormat}), NumPy {@code .npy} ({@link org.aleph.kernel.io.NpyFormat})
 * and the IDX files of the MNIST family ({@link org.aleph.kernel.io.IdxFormat}), chosen by
 * extension in {@link org.aleph.kernel.io.MatrixFiles}; outputs written atomically
 * ({@link org.aleph.kernel.io.AtomicFiles}) or committed as a group
 * ({@link org.aleph.kernel.io.OutputGroup}). Every mistake in a file is a
 * {@link org.aleph.kernel.UserErrorException} of one sentence naming the file.
 */
module org.aleph.kernel.io {
    requires transitive org.aleph.kernel;

    exports org.aleph.kernel.io;
}
