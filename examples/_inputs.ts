// What the examples stand in for: two captures of one face (enrolment and probe) and the public
// mean of the embedding model, deterministic, so every example runs on its own without a camera.
// A real terminal gets the embeddings from its model (templock/embed or its own).

/** Embeddings of `dim` values: one face captured twice (cosine about 0.998) and the model's mean. */
export function face(dim: number): { enrolEmbedding: Float32Array; probeEmbedding: Float32Array; modelMean: Float32Array } {
  const modelMean = new Float32Array(dim).map((_, i) => 0.3 * Math.cos(i * 0.11));
  const identity = new Float32Array(dim).map((_, i) => Math.sin((i + 1) * 1.91) + 0.5 * Math.cos((i + 3) * 0.37));
  const enrolEmbedding = identity.map((v, i) => modelMean[i]! + v);
  const probeEmbedding = identity.map((v, i) => modelMean[i]! + v + 0.04 * Math.sin(i * 2.9 + 0.5));
  return { enrolEmbedding, probeEmbedding, modelMean };
}

/** Stops the example with a message when a result is not what the README says. */
export function expect(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`example: expected ${what}`);
}
