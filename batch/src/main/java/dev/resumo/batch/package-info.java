/** Apache Beam batch summarization over the Summarizer. */
package dev.resumo.batch;
