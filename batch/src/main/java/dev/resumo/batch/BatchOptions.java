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

    @Description("Input file pattern (local path, gs://, hdfs://, ...): JSON lines, or Parquet when it ends in .parquet")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Output prefix: PREFIX-summaries-*.jsonl and PREFIX-dead-letters-*.jsonl")
    @Validation.Required
    String getOutput();

    void setOutput(String value);

    @Description("Field or column holding the text (default: text)")
    @Default.String("text")
    String getTextColumn();

    void setTextColumn(String value);

    @Description("Field or column holding the row id (default: id)")
    @Default.String("id")
    String getIdColumn();

    void setIdColumn(String value);

    @Description("Texts generated together (default: 16)")
    @Default.Integer(16)
    int getBatchSize();

    void setBatchSize(int value);

    // The generation settings, transformers' generate() names in camel case: each unset (null) takes
    // the model's generation_config.json on the worker, as `resumo summarize` does for a flag not
    // given. GenerationOptions turns them into the GenerationOverrides the workers apply.

    @Description("Longest summary in tokens (default: the model's generation_config.json, else 128)")
    Integer getMaxNewTokens();

    void setMaxNewTokens(Integer value);

    @Description("Shortest summary in tokens (default: the model's generation_config.json, else 0)")
    Integer getMinNewTokens();

    void setMinNewTokens(Integer value);

    @Description("Beam search width; 1 = greedy or sampling (default: the model's generation_config.json, else 1)")
    Integer getNumBeams();

    void setNumBeams(Integer value);

    @Description("Beam score = log p / length^X (default: the model's generation_config.json, else 1.0)")
    Float getLengthPenalty();

    void setLengthPenalty(Float value);

    @Description("Beam search: true, false or never (default: the model's generation_config.json, else false)")
    String getEarlyStopping();

    void setEarlyStopping(String value);

    @Description("No n-gram of this size twice; 0 = off (default: the model's generation_config.json, else 0)")
    Integer getNoRepeatNgramSize();

    void setNoRepeatNgramSize(Integer value);

    @Description("HF's repetition_penalty; 1 = off (default: the model's generation_config.json, else 1.0)")
    Float getRepetitionPenalty();

    void setRepetitionPenalty(Float value);

    @Description("Greedy decoding: prompt lookup draft tokens; 0 = off (default: the model's generation_config.json, else 0)")
    Integer getPromptLookupNumTokens();

    void setPromptLookupNumTokens(Integer value);

    @Description("Sample instead of greedy/beam search (default: the model's generation_config.json, else false)")
    Boolean getDoSample();

    void setDoSample(Boolean value);

    @Description("Sampling temperature (default: the model's generation_config.json, else 1.0)")
    Float getTemperature();

    void setTemperature(Float value);

    @Description("Sample among the k most likely tokens; 0 = all (default: the model's generation_config.json, else 50)")
    Integer getTopK();

    void setTopK(Integer value);

    @Description("Sample among the most likely tokens reaching probability p (default: the model's generation_config.json, else 1.0)")
    Float getTopP();

    void setTopP(Float value);

    @Description("Random seed for sampling; each row draws from its own generator seeded with it (default: 0)")
    Long getSeed();

    void setSeed(Long value);

    @Description("Summaries per text, written as \"candidates\" (the first one is also \"summary\"): beam search's N best"
            + " (N ≤ numBeams) or N separate samples (doSample) (default: 1)")
    @Default.Integer(1)
    int getNumReturnSequences();

    void setNumReturnSequences(int value);

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
