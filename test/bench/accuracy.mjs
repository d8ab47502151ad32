export async function benchAccuracy() { return []; }
