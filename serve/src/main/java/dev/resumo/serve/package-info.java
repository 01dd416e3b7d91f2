/** HTTP API, dynamic batching and the web page over the Summarizer. */
package dev.resumo.serve;
