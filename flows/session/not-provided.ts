/** The default of every session actor: the host must supply it with `sessionMachine.provide({ actors })`. */
export function notProvided(name: string): () => Promise<never> {
  return () =>
    Promise.reject(
      new Error(`session actor '${name}' not provided: supply it with sessionMachine.provide({ actors: { ${name} } })`),
    );
}
