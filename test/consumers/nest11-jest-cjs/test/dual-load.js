// One process loading the package both ways, each order in a fresh child: the first format loaded
// serves both, so a module from one entry and a TokenService from the other are the same DI token.
const { execFileSync } = require('node:child_process');
const scripts = {
  'require, then import': `
    const required = require('nestjs-exotel-webrtc');
    import('nestjs-exotel-webrtc').then(async (imported) => {
      const testing = [require('nestjs-exotel-webrtc/testing'), await import('nestjs-exotel-webrtc/testing')];
      console.log(required.TokenService === imported.TokenService && testing[0].bootWithFakeExotel === testing[1].bootWithFakeExotel);
    });`,
  'import, then require': `
    import('nestjs-exotel-webrtc').then((imported) => {
      const required = require('nestjs-exotel-webrtc');
      console.log(required.ExotelWebrtcModule === imported.ExotelWebrtcModule && required.TokenService === imported.TokenService);
    });`,
};
for (const [order, script] of Object.entries(scripts)) {
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
  if (out !== 'true') throw new Error(`${order}: two copies of the library were loaded (${out})`);
  console.log(`dual load (${order}): one copy`);
}
