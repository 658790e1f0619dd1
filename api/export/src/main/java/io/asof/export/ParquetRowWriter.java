package io.asof.export;

import io.asof.model.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Writes a Parquet file with parquet-java, typed from the query's columns as {@link
 * RowWriteSupport} describes, through {@link LocalOutputFile} and a plain (non-Hadoop)
 * configuration so that no Hadoop classes are needed at run time.
 *
 * <p>Pages are <b>uncompressed</b>. parquet-java's Snappy and zstd codecs go through Hadoop's codec
 * classes and JNI libraries (snappy-java, zstd-jni) that are not pure Java, so they are left out;
 * dictionary encoding, which parquet-java applies by default, still keeps repetitive columns small.
 */
final class ParquetRowWriter extends StagedRowWriter {
  private final ParquetWriter<List<Object>> writer;

  ParquetRowWriter(Path file, List<Column> columns) throws IOException {
    super(file, columns);
    RowWriteSupport writeSupport = new RowWriteSupport(columns());
    try {
      this.writer =
          new Builder(new LocalOutputFile(temp()), writeSupport)
              .withConf(new PlainParquetConfiguration())
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
              .build();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp());
      throw e;
    }
  }

  @Override
  void writeRow(List<Object> values) throws IOException {
    writer.write(values);
  }

  @Override
  void closeFile() throws IOException {
    writer.close();
  }

  /** Builds a writer around our write support; parquet-java wants a subclass for that. */
  private static final class Builder extends ParquetWriter.Builder<List<Object>, Builder> {
    private final RowWriteSupport writeSupport;

    Builder(OutputFile file, RowWriteSupport writeSupport) {
      super(file);
      this.writeSupport = writeSupport;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<List<Object>> getWriteSupport(ParquetConfiguration conf) {
      return writeSupport;
    }

    /** Hadoop's variant, which {@link #build()} never calls; it has to exist, being abstract. */
    @Deprecated
    @Override
    protected WriteSupport<List<Object>> getWriteSupport(Configuration conf) {
      return writeSupport;
    }
  }
}
