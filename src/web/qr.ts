// Reads the text of a QR code in an image the user picked (providers show wg-quick files as
// QR codes). jsQR is loaded only when needed: it is larger than the rest of the UI.
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

export async function decodeQrImage(file: Blob): Promise<string> {
  // jsqr is CommonJS marked __esModule: the bundler hands over its default export directly,
  // while TypeScript's NodeNext view wraps it once more.
  const mod = (await import("jsqr")) as unknown as { default: JsQr | { default: JsQr } };
  const jsQR = typeof mod.default === "function" ? mod.default : mod.default.default;
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("this browser cannot read images");
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(data.data, data.width, data.height);
    if (!code) throw new Error("no QR code found in this image");
    return code.data;
  } finally {
    URL.revokeObjectURL(url);
  }
}
