package dev.resumo.batch;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** `resumo batch` flags that are Beam pipeline options, so every runner receives them the same way. */
public interface BatchOptions extends PipelineOptions {
    @Description("Model folder, readable on every worker")
    @Validation.Required
    String getModel();

    void setModel(String value);

    @Description("spiece.model, tokenizer.json or a directory with one (default: the model directory)")
    String getTokenizer();

    void setTokenizer(String value);

    @Description("Input file pattern of JSON lines (local path, gs://, hdfs://, ...)")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Output prefix: PREFIX-summaries-*.jsonl and PREFIX-dead-letters-*.jsonl")
    @Validation.Required
    String getOutput();

    void setOutput(String value);

    @Description("Field holding the text (default: text)")
    @Default.String("text")
    String getTextColumn();

    void setTextColumn(String value);

    @Description("Field holding the row id (default: id)")
    @Default.String("id")
    String getIdColumn();

    void setIdColumn(String value);

    @Description("Texts generated together (default: 16)")
    @Default.Integer(16)
    int getBatchSize();

    void setBatchSize(int value);

    @Description("Longest summary in tokens; 0 = the model's generation_config.json, else 128 (default: 0)")
    @Default.Integer(0)
    int getMaxNewTokens();

    void setMaxNewTokens(int value);

    @Description("Beam search width; 1 = greedy; 0 = the model's generation_config.json, else 1 (default: 0)")
    @Default.Integer(0)
    int getNumBeams();

    void setNumBeams(int value);

    @Description("Input tokens kept (default: 512)")
    @Default.Integer(512)
    int getMaxSourceLength();

    void setMaxSourceLength(int value);

    @Description("Put before every text (default: \"summarize: \")")
    @Default.String("summarize: ")
    String getPrefix();

    void setPrefix(String value);

    @Description("Where each worker computes: cpu, opencl, opencl:PLATFORM:DEVICE or auto (default: cpu)")
    @Default.String("cpu")
    String getDevice();

    void setDevice(String value);
}
