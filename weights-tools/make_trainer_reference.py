"""What transformers' Seq2SeqTrainer records for a short T5 fine-tuning run (Trainer parity tests).

Runs `Seq2SeqTrainer.train()` (transformers 5.24, torch CPU, fp32, dropout 0) on the golden tiny
T5 ../shared/golden/t5-v1_0-tiny (read in place) over a dozen Portuguese pairs written below, in
a fixed order (SequentialSampler instead of the Trainer's RandomSampler, so Resumo's Trainer can be
given the same batches), and writes train/src/test/resources/trainer/trainer_reference.json:

  examples     token ids of every pair (sentencepiece + </s>, truncated as T5Tokenizer does)
  collated     DataCollatorForSeq2Seq's batches: input_ids, attention_mask, labels (-100 on
               padding) and decoder_input_ids (T5's _shift_right) for each training batch
  decay        the parameters Trainer.get_decay_parameter_names puts in the weight-decay group
  runs.<name>  per optimizer step: logged loss, learning_rate, grad_norm; per micro-batch: the
               loss compute_loss returned and num_items_in_batch; per step a few parameters'
               sum and L2 norm; after training every parameter's sum and L2 norm; eval_loss as
               Trainer.evaluate() reports it and as a token-weighted mean, before and after
  schedules    get_scheduler lrs for the --schedule choices Resumo maps them to

Runs: adamw (adamw_torch: the default adamw_torch_fused ends 3e-9 relative from it; lr 1e-3,
weight decay 0.01, linear, warmup 2, logging every step) and adafactor (the T5 recipe: fixed lr 1e-3, scale_parameter/relative_step/warmup_init False,
constant, weight decay 0.01, logging every 3 steps: the logged loss is the mean of 3 steps') and
adafactor_smoothed (adafactor with label_smoothing_factor 0.1, logging every step); all
batch 2, gradient accumulation 2, max_grad_norm 1.0, 2 epochs of 5 batches = 6 steps (the third
step of each epoch has one micro-batch). Needs torch, transformers, accelerate,
sentencepiece:

    .venv/bin/python weights-tools/make_trainer_reference.py [OUT.json]
"""
import json
import math
import os
import sys
import tempfile

import sentencepiece as spm
import torch
import transformers
from torch.utils.data import SequentialSampler
from transformers import (DataCollatorForSeq2Seq, Seq2SeqTrainer, Seq2SeqTrainingArguments,
                          T5ForConditionalGeneration, T5Tokenizer)
from transformers.optimization import get_scheduler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
MODEL = os.path.join(SHARED, "golden", "t5-v1_0-tiny")
SPM = os.path.join(SHARED, "models", "ptt5-portuguese-vocab", "spiece.model")
OUT = os.path.join(ROOT, "train", "src", "test", "resources", "trainer", "trainer_reference.json")
PREFIX = "summarize: "
MAX_SOURCE, MAX_TARGET = 40, 12

# Different lengths on purpose: padding and target token counts differ from batch to batch, and the
# longest text is cut at MAX_SOURCE (truncation keeps </s> last).
TRAIN = [
    ("O governo anunciou hoje um novo programa de habitação popular para as capitais do Nordeste.",
     "Governo lança programa de habitação."),
    ("Chuva forte alaga ruas do centro.", "Chuva alaga o centro."),
    ("A seleção brasileira venceu a partida de ontem por três a zero, com dois gols no segundo tempo e "
     "uma atuação segura da defesa durante todo o jogo, segundo o técnico.",
     "Seleção vence por três a zero com atuação segura da defesa."),
    ("Pesquisadores da universidade descobriram uma nova espécie de sapo na Mata Atlântica.",
     "Nova espécie de sapo é descoberta."),
    ("O preço da gasolina subiu pela terceira semana seguida nos postos do país.",
     "Gasolina sobe de novo."),
    ("A prefeitura vai ampliar o horário dos ônibus durante o carnaval.",
     "Ônibus terão horário ampliado no carnaval da cidade."),
    ("Um incêndio destruiu parte de um galpão na zona industrial, mas ninguém ficou ferido.",
     "Incêndio atinge galpão sem feridos."),
    ("O festival de cinema exibirá quarenta filmes nacionais nesta edição.", "Festival terá quarenta filmes."),
    ("Os professores da rede estadual decidiram encerrar a greve depois de dois meses de negociação com o "
     "governo, que prometeu reajuste salarial a partir de março.",
     "Professores encerram greve após promessa de reajuste."),
    ("A safra de café deve ser recorde neste ano.", "Safra de café recorde."),
]
EVAL = [
    ("O metrô terá uma nova linha ligando o aeroporto ao centro da cidade até o fim do próximo ano.",
     "Metrô terá linha até o aeroporto."),
    ("Frio intenso atinge o Sul.", "Frio no Sul."),
    ("A biblioteca municipal reabre depois de uma reforma que durou dois anos e custou milhões.",
     "Biblioteca reabre após reforma de dois anos."),
    ("O campeonato começa no sábado com oito jogos.", "Campeonato começa sábado."),
    ("Médicos alertam para o aumento dos casos de dengue no verão e pedem que a população elimine "
     "água parada.", "Médicos alertam para a dengue no verão."),
]
BATCH, GRAD_ACCUM, EPOCHS, EVAL_BATCH = 2, 2, 2, 3
WATCHED = ["shared.weight", "encoder.final_layer_norm.weight",
           "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
           "decoder.block.1.layer.2.DenseReluDense.wo.weight"]
RUNS = {
    "adamw": dict(optim="adamw_torch", learning_rate=1e-3, weight_decay=0.01, lr_scheduler_type="linear",
                  warmup_steps=2, logging_steps=1),
    "adafactor": dict(optim="adafactor", learning_rate=1e-3, weight_decay=0.01, lr_scheduler_type="constant",
                      warmup_steps=0, logging_steps=3),
    # --label-smoothing: the Trainer's LabelSmoother replaces the model's loss, normalised by the
    # step's counted tokens (num_items_in_batch) instead of each micro-batch's, in training and eval.
    "adafactor_smoothed": dict(optim="adafactor", learning_rate=1e-3, weight_decay=0.01, lr_scheduler_type="constant",
                               warmup_steps=0, logging_steps=1, label_smoothing_factor=0.1),
}


def encode(sp, text, max_len):
    ids = sp.encode(text) + [1]
    return ids if len(ids) <= max_len else ids[:max_len - 1] + [1]


def features(sp, pairs):
    return [{"input_ids": encode(sp, PREFIX + t, MAX_SOURCE), "labels": encode(sp, s, MAX_TARGET)} for t, s in pairs]


def checksum(p):
    v = p.detach().double()
    return {"sum": v.sum().item(), "norm": v.norm().item()}


class RecordingTrainer(Seq2SeqTrainer):
    """The stock Seq2SeqTrainer; only the sampler is sequential, and compute_loss is watched."""

    micro = []

    def _get_train_sampler(self, train_dataset=None):
        return SequentialSampler(train_dataset if train_dataset is not None else self.train_dataset)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        out = super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        if model.training:
            loss = out[0] if return_outputs else out
            self.micro.append({"loss": loss.item(),
                               "num_items_in_batch": None if num_items_in_batch is None else int(num_items_in_batch)})
        return out


class WatchParameters(transformers.TrainerCallback):
    def __init__(self, model, into):
        self.params = dict(model.named_parameters())
        self.into = into

    def on_step_end(self, args, state, control, **kwargs):
        self.into.append({n: checksum(self.params[n]) for n in WATCHED})


def token_weighted_eval_loss(model, collator, eval_features, smoothing=0.0):
    """Σ over the eval set's counted tokens of the (label-smoothed) loss, over their count."""
    model.eval()
    total, tokens = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(eval_features), EVAL_BATCH):
            b = collator(eval_features[i:i + EVAL_BATCH])
            logits = model(**b).logits
            total += torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), b["labels"].view(-1),
                                                       ignore_index=-100, reduction="sum",
                                                       label_smoothing=smoothing).item()
            tokens += int(b["labels"].ne(-100).sum())
    return total / tokens


def run(name, settings, train_features, eval_features, tokenizer, workdir):
    torch.manual_seed(0)
    model = T5ForConditionalGeneration.from_pretrained(MODEL, dtype=torch.float32)
    assert model.config.dropout_rate == 0.0
    collator = DataCollatorForSeq2Seq(tokenizer, model=model)
    args = Seq2SeqTrainingArguments(
        output_dir=os.path.join(workdir, name), per_device_train_batch_size=BATCH,
        per_device_eval_batch_size=EVAL_BATCH, gradient_accumulation_steps=GRAD_ACCUM, num_train_epochs=EPOCHS,
        max_grad_norm=1.0, save_strategy="no", eval_strategy="no", report_to=[], seed=42,
        use_cpu=True, dataloader_num_workers=0, disable_tqdm=True, **settings)
    RecordingTrainer.micro = []
    trainer = RecordingTrainer(model=model, args=args, train_dataset=train_features, eval_dataset=eval_features,
                               data_collator=collator)
    watched = []
    trainer.add_callback(WatchParameters(model, watched))
    smoothing = settings.get("label_smoothing_factor", 0.0)
    before = {"hf": trainer.evaluate()["eval_loss"],
              "token_weighted": token_weighted_eval_loss(model, collator, eval_features, smoothing)}
    trainer.train()
    steps = [h for h in trainer.state.log_history if "loss" in h and "grad_norm" in h]
    after = {"hf": trainer.evaluate()["eval_loss"],
             "token_weighted": token_weighted_eval_loss(model, collator, eval_features, smoothing)}
    return {
        "settings": settings,
        "model_accepts_loss_kwargs": trainer.model_accepts_loss_kwargs,
        "steps": [{"step": h["step"], "loss": h["loss"], "learning_rate": h["learning_rate"],
                   "grad_norm": float(h["grad_norm"])} for h in steps],
        "micro_batches": RecordingTrainer.micro,
        "watched": watched,
        "final": {n: checksum(p) for n, p in model.named_parameters()},
        "eval_loss_before": before,
        "eval_loss_after": after,
    }


def schedule_lrs(name, warmup, total, n=12):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1.0)
    sched = get_scheduler(name, opt, num_warmup_steps=warmup, num_training_steps=total)
    out = []
    for _ in range(n):
        out.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    sp = spm.SentencePieceProcessor(model_file=SPM)
    tokenizer = T5Tokenizer(vocab_file=SPM)  # the collator only pads with it (pad id 0)
    train_features, eval_features = features(sp, TRAIN), features(sp, EVAL)
    collator = DataCollatorForSeq2Seq(tokenizer, model=T5ForConditionalGeneration.from_pretrained(MODEL))
    collated = []
    for i in range(0, len(train_features), BATCH):
        b = collator(train_features[i:i + BATCH])
        collated.append({k: b[k].tolist() for k in ("input_ids", "attention_mask", "labels", "decoder_input_ids")})
    probe = RecordingTrainer(model=T5ForConditionalGeneration.from_pretrained(MODEL),
                             args=Seq2SeqTrainingArguments(output_dir=tempfile.mkdtemp(), report_to=[], use_cpu=True))
    ref = {
        "torch": torch.__version__, "transformers": transformers.__version__,
        "model": "golden/t5-v1_0-tiny", "prefix": PREFIX, "max_source_length": MAX_SOURCE,
        "max_target_length": MAX_TARGET, "batch_size": BATCH, "grad_accum": GRAD_ACCUM, "epochs": EPOCHS,
        "eval_batch_size": EVAL_BATCH, "max_grad_norm": 1.0,
        "train": [{"text": t, "summary": s, "source": f["input_ids"], "target": f["labels"]}
                  for (t, s), f in zip(TRAIN, train_features)],
        "eval": [{"text": t, "summary": s, "source": f["input_ids"], "target": f["labels"]}
                 for (t, s), f in zip(EVAL, eval_features)],
        "collated": collated,
        "decay": sorted(probe.get_decay_parameter_names(probe.model)),
        "runs": {},
        "schedules": {
            "linear_warmup3_total10": schedule_lrs("linear", 3, 10),
            "linear_warmup0_total10": schedule_lrs("linear", 0, 10),
            "constant": schedule_lrs("constant", 0, 10),
            "constant_with_warmup3": schedule_lrs("constant_with_warmup", 3, 10),
            "inverse_sqrt_warmup3": schedule_lrs("inverse_sqrt", 3, 10),
            "inverse_sqrt_warmup0": schedule_lrs("inverse_sqrt", 0, 10),
            "cosine_warmup3_total10": schedule_lrs("cosine", 3, 10),
            "cosine_warmup0_total10": schedule_lrs("cosine", 0, 10),
        },
    }
    with tempfile.TemporaryDirectory() as workdir:
        for name, settings in RUNS.items():
            ref["runs"][name] = run(name, settings, train_features, eval_features, tokenizer, workdir)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", out, os.path.getsize(out), "bytes")
    for name, r in ref["runs"].items():
        print(name, "accepts loss kwargs:", r["model_accepts_loss_kwargs"])
        for s in r["steps"]:
            print(f"  step {s['step']}: loss {s['loss']:.6f} lr {s['learning_rate']:.3e} grad_norm {s['grad_norm']:.6f}")
        print("  micro:", [(round(m["loss"], 5), m["num_items_in_batch"]) for m in r["micro_batches"]])
        print("  eval before", r["eval_loss_before"], "after", r["eval_loss_after"])


if __name__ == "__main__":
    main()
