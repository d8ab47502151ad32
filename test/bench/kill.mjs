export async function benchKill() { return []; }
