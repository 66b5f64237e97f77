// Placeholder until the pure core lands (issue 2): replaced by the real demo.
console.log('Redrive quickstart');
