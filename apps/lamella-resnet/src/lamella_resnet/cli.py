"""``lamella-resnet``: real-time image classification with lamella.

    lamella-resnet classify PATH...        top-k for image files and folders
    lamella-resnet watch FOLDER            classify new images as they arrive
    lamella-resnet video FILE | --camera N live top-k and fps (needs OpenCV)
    lamella-resnet serve                   web page + JSON API on http://127.0.0.1:8000/

Model (any command): --weights imagenet (ResNet50, Keras's ImageNet weights,
downloaded once), --weights PATH.h5 (ResNet50 weights from a local file), or
--model PATH.keras (any lamella image classifier with a NAME.labels.json beside it).
Without either: the embedded demo model, a small ResNet that recognises shapes.
"""

import argparse
import sys
from pathlib import Path

from lamella_resnet.watcher import IMAGE_SUFFIXES, format_predictions


def load_classifier(args):
    from lamella_resnet.classifier import ImageClassifier

    if args.weights and args.model:
        raise SystemExit("lamella-resnet: give --weights or --model, not both.")
    if args.model:
        return ImageClassifier.from_model_file(args.model)
    if args.weights:
        if args.weights != "imagenet" and not Path(args.weights).is_file():
            raise SystemExit(f"lamella-resnet: --weights expects 'imagenet' or a weight file. "
                             f"Received: {args.weights!r} (no such file).")
        return ImageClassifier.imagenet(args.weights)
    return ImageClassifier.demo()


def image_paths(paths):
    """Expands folders (recursively) into their image files, sorted; keeps files as given."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise SystemExit(f"lamella-resnet: no such file or folder: {raw}")
    return found


def cmd_classify(args, classifier):
    from lamella.preprocessing.image import load_img

    paths = image_paths(args.paths)
    if not paths:
        print("No images found.", file=sys.stderr)
        return 1
    failed = 0
    for start in range(0, len(paths), args.batch_size):
        chunk, images = [], []
        for path in paths[start:start + args.batch_size]:
            try:
                images.append(load_img(path))
                chunk.append(path)
            except Exception as error:  # noqa: BLE001 - report the file, go on with the others
                print(f"{path}: cannot read it as an image ({error})", file=sys.stderr)
                failed += 1
        for path, predictions in zip(chunk, classifier.classify(images, args.top)):
            print(f"{path}: {format_predictions(predictions)}", flush=True)
    return 1 if failed else 0


def cmd_watch(args, classifier):
    from lamella_resnet.watcher import FolderWatcher

    watcher = FolderWatcher(args.folder, classifier, top=args.top, existing=args.existing)
    print(f"Watching {args.folder} every {args.interval} s (Ctrl-C stops).", flush=True)
    watcher.run(interval=args.interval)
    return 0


def cmd_video(args, classifier):
    from lamella_resnet.video import run_video

    if (args.file is None) == (args.camera is None):
        raise SystemExit("lamella-resnet video: give a video FILE or --camera N.")
    source = args.camera if args.camera is not None else args.file
    try:
        run_video(classifier, source, top=args.top, max_frames=args.max_frames,
                  out=lambda line: print(line, flush=True))
    except RuntimeError as error:
        raise SystemExit(f"lamella-resnet: {error}") from None
    return 0


def cmd_serve(args, classifier):
    from lamella_resnet.server import PredictionServer

    server = PredictionServer(classifier, host=args.host, port=args.port, max_batch=args.max_batch,
                              max_delay=args.max_delay_ms / 1000, max_bytes=args.max_upload_mb * 1024 * 1024,
                              top=args.top, verbose=args.verbose)
    classifier.warmup(args.max_batch)
    print(f"Serving the page and the API on {server.url}  (POST /api/predict, GET /api/health). "
          "Ctrl-C stops.", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: bound to {args.host}: other machines can reach this server.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.shutdown()
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="lamella-resnet", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument("--weights", help="'imagenet' or a ResNet50 weight file (.h5 / .weights.h5)")
    model.add_argument("--model", help="a lamella image classifier (.keras / .h5) with its labels")
    model.add_argument("--top", type=int, default=5, help="predictions per image (default 5)")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("classify", parents=[model], help="classify image files and folders")
    p.add_argument("paths", nargs="+", help="image files or folders (searched recursively)")
    p.add_argument("--batch-size", type=int, default=32)
    p.set_defaults(run=cmd_classify)

    p = commands.add_parser("watch", parents=[model], help="classify new images in a folder")
    p.add_argument("folder")
    p.add_argument("--interval", type=float, default=0.5, help="seconds between polls")
    p.add_argument("--existing", action="store_true", help="also classify the images already there")
    p.set_defaults(run=cmd_watch)

    p = commands.add_parser("video", parents=[model], help="live top-k on a video or camera (OpenCV)")
    p.add_argument("file", nargs="?")
    p.add_argument("--camera", type=int, help="camera number (0 is the default camera)")
    p.add_argument("--max-frames", type=int)
    p.set_defaults(run=cmd_video)

    p = commands.add_parser("serve", parents=[model], help="the web page and the HTTP JSON API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--max-batch", type=int, default=32, help="most images per forward pass")
    p.add_argument("--max-delay-ms", type=float, default=5.0, help="wait for more requests (ms)")
    p.add_argument("--max-upload-mb", type=int, default=10)
    p.add_argument("--verbose", action="store_true", help="log every request")
    p.set_defaults(run=cmd_serve)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.top < 1:
        raise SystemExit(f"lamella-resnet: --top must be at least 1. Received: {args.top}")
    if args.command == "video":
        from lamella_resnet.video import import_cv2

        try:
            import_cv2()  # before loading a model: say at once that OpenCV is missing
        except RuntimeError as error:
            raise SystemExit(f"lamella-resnet: {error}") from None
    classifier = load_classifier(args)
    print(classifier.describe(), file=sys.stderr, flush=True)
    return args.run(args, classifier)


if __name__ == "__main__":
    raise SystemExit(main())
